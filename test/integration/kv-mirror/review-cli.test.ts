import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open'
import { readMirror } from '../../../src/main/core/kv-mirror/store'
import { tempDir } from '../../helpers/db'
import { startServe, type ServeProcess } from '../../helpers/serve'
import { wireVectors } from '../../unit/wire/fixtures'

// The built CLI end to end: `serve` (embedded broker, default subsystems) mirrors what is
// written to KV into its database; `serve --review <that file>` then answers the catalog
// routes from it with no broker, the same as the live console did, and refuses writes.

const data = tempDir('kc-review-cli-')
const dbPath = join(data.dir, 'console.db')
const env = { KANADE_AUTH_DISABLE: '1' }
const READS = ['/api/jobs', '/api/jobs/echo-test', '/api/scripts/status', '/api/groups', '/api/agents/pc-a/groups', '/api/config/scopes', '/api/agents/pc-a/effective_config']
let running: ServeProcess | null = null

afterAll(async () => {
  await running?.stop()
  data.cleanup()
})

async function call(url: string, method = 'GET', body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null }
}

/** Read the live console's database from the side (WAL allows a concurrent reader). */
function mirrored(bucket: string, key: string): string | null {
  const db = openDatabase(dbPath, { readonly: true })
  try {
    return readMirror(db, bucket, [key]).get(key)?.value ?? null
  } finally {
    closeDatabase(db)
  }
}

describe('serve --review of a file written by serve', () => {
  it('answers the catalog routes from the mirror as the live console did; writes are refused', async () => {
    running = await startServe(['--data-dir', data.dir, '--bind', '127.0.0.1:0'], env)
    const live = running.url
    const minimal = wireVectors().find((v) => v.name === 'manifest/minimal')!.payload
    expect((await call(`${live}/api/jobs`, 'POST', minimal)).status).toBe(200)
    expect((await call(`${live}/api/scripts/echo-test/revoke`, 'POST')).status).toBe(204)
    expect((await call(`${live}/api/agents/pc-a/groups`, 'PUT', { groups: ['lab'] })).status).toBe(200)
    expect((await call(`${live}/api/groups/lab/config`, 'PUT', { heartbeat_interval: '45s' })).status).toBe(200)
    const start = Date.now()
    while (mirrored('script_status', 'echo-test') !== 'REVOKED' || mirrored('agent_config', 'groups.lab') === null) {
      if (Date.now() - start > 15_000) throw new Error('the running console did not mirror KV')
      await new Promise((r) => setTimeout(r, 50))
    }
    const want = new Map<string, { status: number; json: unknown }>()
    for (const url of READS) want.set(url, await call(`${live}${url}`))
    expect(want.get('/api/scripts/status')!.json).toEqual({ 'echo-test': 'REVOKED' })
    expect(await running.stop()).toBe(0)
    running = null

    running = await startServe(['--review', dbPath, '--bind', '127.0.0.1:0'], env)
    const review = running.url
    expect(running.output()).toMatch(/offline review, read-only/)
    for (const url of READS) expect(await call(`${review}${url}`), url).toEqual(want.get(url))
    const refused = await call(`${review}/api/jobs`, 'POST', minimal)
    expect(refused.status).toBe(403)
    expect(refused.json).toMatchObject({ error: 'read_only' })
    expect(await running.stop()).toBe(0)
    running = null
  })
})
