import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KV } from '../../../src/shared/nats-names'
import { EventBus } from '../../../src/main/core/bus'
import { loadConfig } from '../../../src/main/core/config'
import { closeDatabase, openDatabase, type Db } from '../../../src/main/core/db/open'
import { buildHttpApp } from '../../../src/main/core/http/server'
import { startKvMirror, KV_MIRROR, type KvMirror } from '../../../src/main/core/kv-mirror'
import { readMirror } from '../../../src/main/core/kv-mirror/store'
import { silentLogger } from '../../../src/main/core/log'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { NatsLink } from '../../../src/main/core/nats/connect'
import { readBucket } from '../../../src/main/core/queries/kv-read'
import type { CoreServices } from '../../../src/main/core/services'
import { tempDb, tempDir } from '../../helpers/db'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { insertAgent, insertFacts, iso, NOW, testApi, type TestApi } from '../../unit/http/helpers'
import { wireVectors } from '../../unit/wire/fixtures'

// Offline review of a database produced by a running console: the catalog, schedules, script
// status, groups and config scopes the console mirrored from KV are served from the read-only
// file with no broker, exactly as the live console answered them; writes are refused.

const vec = (name: string) => wireVectors().find((v) => v.name === name)!.payload
let nats: TestNats
let nc: NatsConnection
let link: NatsLink
let live: TestApi
let mirror: KvMirror
const dir = tempDir('kc-review-')
const reviewPath = join(dir.dir, 'copy.db')
let reviewDb: Db
let review: FastifyInstance

/** Every read the dashboard makes of the mirrored buckets (and the routes that join them). */
const READS = [
  '/api/jobs',
  '/api/jobs?limit=1&offset=1',
  '/api/jobs?format=csv',
  '/api/jobs/inventory-hw',
  '/api/jobs/nope',
  '/api/schedules',
  '/api/schedules/hourly-cleanup-canary',
  '/api/schedules/upcoming?limit=3',
  '/api/scheduler/state',
  '/api/scripts/status',
  '/api/groups',
  '/api/agents/pc-a/groups',
  '/api/agents/pc-z/groups',
  '/api/config/scopes',
  '/api/config',
  '/api/groups/lab/config',
  '/api/pcs/pc-a/config',
  '/api/agents/pc-a/effective_config',
  '/api/agents?group=lab&sort=pc_id',
  '/api/agents?include_groups=true&sort=pc_id',
  '/api/inventory/jobs',
  '/api/inventory/by-job/inventory-hw',
]

interface Answer {
  status: number
  body: string
  total: string | undefined
}
const liveAnswers = new Map<string, Answer>()

async function answer(app: FastifyInstance, url: string): Promise<Answer> {
  const res = await app.inject({ method: 'GET', url })
  return { status: res.statusCode, body: res.body, total: res.headers['x-total-count'] as string | undefined }
}

async function send(method: 'POST' | 'PUT', url: string, payload: unknown): Promise<void> {
  const res = await live.app.inject({ method, url, payload: payload as object })
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`)
}

/** The mirror holds exactly what KV holds, bucket by bucket. */
async function caughtUp(): Promise<boolean> {
  for (const b of [KV.jobs, KV.schedules, KV.scriptStatus, KV.scriptCurrent, KV.agentGroups, KV.agentConfig]) {
    const kv = Object.fromEntries([...(await readBucket(nc, b))].sort(([x], [y]) => (x < y ? -1 : 1)))
    const copy = Object.fromEntries([...readMirror(live.db, b)].map(([k, v]) => [k, v.value]))
    if (JSON.stringify(kv) !== JSON.stringify(copy)) return false
  }
  return true
}

function reviewCore(db: Db, path: string): CoreServices {
  const config = loadConfig({ 'data-dir': dir.dir, review: path }, {})
  config.auth = { disabled: true, staticToken: null, jwtSecret: null }
  return {
    config,
    db,
    nats: null,
    embeddedNats: null,
    bus: new EventBus(),
    log: silentLogger,
    now: () => NOW,
    readonly: true,
    installId: 'review',
    subsystems: new Map(),
  }
}

beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc)
  link = await NatsLink.open({ servers: [nats.url] })
  live = await testApi({ nats: link })
  mirror = await startKvMirror(live.core, { flushMs: 10 })
  live.core.subsystems.set(KV_MIRROR, mirror)

  // A console at work: catalog, a schedule, a revoke, groups and config scopes.
  await send('POST', '/api/jobs', vec('manifest/minimal'))
  await send('POST', '/api/jobs', vec('manifest/inventory-with-table'))
  await send('POST', '/api/jobs', vec('manifest/cleanup'))
  await send('POST', '/api/schedules', vec('schedule/wave-rollout'))
  await send('POST', '/api/scripts/echo-test/revoke', undefined)
  await send('PUT', '/api/agents/pc-a/groups', { groups: ['lab', 'canary'] })
  await send('PUT', '/api/agents/pc-b/groups', { groups: ['lab'] })
  await send('PUT', '/api/config', { heartbeat_interval: '30s' })
  await send('PUT', '/api/groups/lab/config', { heartbeat_interval: '45s' })
  await send('PUT', '/api/groups/canary/config', { heartbeat_interval: '50s' })
  await send('PUT', '/api/pcs/pc-a/config', { target_version: '1.2.3' })
  insertAgent(live.db, { pc_id: 'pc-a', hostname: 'A', last_seen_at: iso(-5_000) })
  insertAgent(live.db, { pc_id: 'pc-b', hostname: 'B', last_seen_at: iso(-300_000) })
  insertAgent(live.db, { pc_id: 'pc-c', hostname: 'C', last_seen_at: iso(-5_000) })
  insertFacts(live.db, { pc_id: 'pc-a', job_id: 'inventory-hw', facts: { hostname: 'A' }, collected_at: iso() })

  const start = Date.now()
  while (!(await caughtUp())) {
    if (Date.now() - start > 15_000) throw new Error('the mirror did not catch up with KV')
    await new Promise((r) => setTimeout(r, 25))
  }
  for (const url of READS) liveAnswers.set(url, await answer(live.app, url))

  // The file another seat would open: an online backup of the running console's database.
  await live.db.backup(reviewPath)
  reviewDb = openDatabase(reviewPath, { readonly: true })
  review = await buildHttpApp(reviewCore(reviewDb, reviewPath), { webRoot: null, validateResponses: true })
  await review.ready()
})
afterAll(async () => {
  await review?.close()
  if (reviewDb) closeDatabase(reviewDb)
  await mirror?.stop()
  await live?.close()
  await link?.close()
  await nats?.stop()
  dir.cleanup()
})

describe('offline review of a mirrored database', () => {
  it('the live answers are real (not empty or errors)', () => {
    const json = (url: string) => JSON.parse(liveAnswers.get(url)!.body)
    expect(json('/api/jobs').map((j: { id: string }) => j.id)).toEqual(['cleanup', 'echo-test', 'inventory-hw'])
    expect(json('/api/scripts/status')).toEqual({ 'echo-test': 'REVOKED' })
    expect(json('/api/schedules/upcoming?limit=3')).toHaveLength(3)
    expect(json('/api/agents?group=lab&sort=pc_id').map((a: { pc_id: string }) => a.pc_id)).toEqual(['pc-a', 'pc-b'])
    expect(json('/api/agents/pc-a/effective_config').effective.target_version).toBe('1.2.3')
    expect(json('/api/groups').map((g: { name: string }) => g.name)).toEqual(['canary', 'lab'])
    expect(liveAnswers.get('/api/jobs/nope')!.status).toBe(404)
  })

  it.each(READS)('GET %s answers as the live console did', async (url) => {
    const want = liveAnswers.get(url)!
    const got = await answer(review, url)
    expect(got.status).toBe(want.status)
    expect(got.total).toBe(want.total)
    if (url.includes('format=csv')) expect(got.body).toBe(want.body)
    else expect(JSON.parse(got.body)).toEqual(JSON.parse(want.body))
  })

  it.each([
    ['POST', '/api/jobs', vec('manifest/minimal')],
    ['DELETE', '/api/jobs/echo-test', undefined],
    ['POST', '/api/scripts/echo-test/unrevoke', undefined],
    ['POST', '/api/schedules/hourly-cleanup-canary/disable', undefined],
    ['PUT', '/api/agents/pc-a/groups', { groups: [] }],
    ['PUT', '/api/config', {}],
    ['DELETE', '/api/pcs/pc-a/config', undefined],
  ] as const)('%s %s is refused with read_only', async (method, url, payload) => {
    const res = await review.inject({ method, url, ...(payload ? { payload: payload as object } : {}) })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: 'read_only', message: expect.stringMatching(/offline review/) })
  })

  it('a file without a copy of KV (an older console) says so; SQLite-only pages still answer', async () => {
    const old = tempDb()
    closeDatabase(old.db)
    const db = openDatabase(old.path, { readonly: true })
    const app = await buildHttpApp(reviewCore(db, old.path), { webRoot: null, validateResponses: true })
    try {
      for (const url of ['/api/jobs', '/api/scripts/status', '/api/config/scopes', '/api/groups', '/api/agents?group=lab']) {
        const res = await app.inject({ method: 'GET', url })
        expect(res.statusCode, url).toBe(503)
        expect(res.json(), url).toMatchObject({ error: 'nats_unavailable', message: expect.stringMatching(/holds no copy of KV/) })
      }
      expect((await app.inject({ method: 'GET', url: '/api/scheduler/state' })).statusCode).toBe(200)
      expect((await app.inject({ method: 'GET', url: '/api/inventory/jobs' })).json()).toEqual([])
    } finally {
      await app.close()
      closeDatabase(db)
      old.cleanup()
    }
  })
})
