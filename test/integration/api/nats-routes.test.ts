import type { NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { NatsLink } from '../../../src/main/core/nats/connect'
import { openKv, putRaw } from '../../../src/main/core/nats/kv'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { insertAgent, insertFacts, iso, testApi, type TestApi } from '../../unit/http/helpers'

// The read routes that touch the broker, against a real nats-server: JetStream status, the
// fleet-health rule, group filters from KV agent_groups, the inventory catalog from KV jobs,
// and 503 while the connection is down.

let nats: TestNats
let nc: NatsConnection
let link: NatsLink
let t: TestApi
const get = (url: string) => t.app.inject({ method: 'GET', url })

const waitFor = async (f: () => boolean, ms = 15_000) => {
  const start = Date.now()
  while (!f()) {
    if (Date.now() - start > ms) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc)
  link = await NatsLink.open({ servers: [nats.url] })
  t = await testApi({ nats: link })
})
afterAll(async () => {
  await t?.close()
  await link?.close()
  await nats?.stop()
})

describe('with a broker', () => {
  it('GET /api/jetstream/status: every kanade resource exists after bootstrap', async () => {
    const res = await get('/api/jetstream/status')
    expect(res.statusCode).toBe(200)
    const s = res.json()
    expect(s.streams.map((r: { name: string }) => r.name)).toEqual(['INVENTORY', 'RESULTS', 'EXEC', 'EVENTS', 'AUDIT'])
    expect(s.kv_buckets).toHaveLength(7)
    expect([...s.streams, ...s.kv_buckets, ...s.object_stores].every((r: { exists: boolean }) => r.exists)).toBe(true)
  })

  it('GET /api/health/fleet follows the rule: unknown with no agents, ok, degraded when one is stale', async () => {
    let res = await get('/api/health/fleet')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'unknown', agents: { known: 0, active: 0, stale: 0 }, jetstream: { all_ok: true, healthy: 12, total: 12, missing: [] }, nats_connected: true })

    insertAgent(t.db, { pc_id: 'pc-a', last_seen_at: iso(-10_000) })
    insertAgent(t.db, { pc_id: 'pc-b', last_seen_at: iso(-119_000) })
    res = await get('/api/health/fleet')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'ok', agents: { known: 2, active: 2, stale: 0 } })

    insertAgent(t.db, { pc_id: 'pc-c', last_seen_at: iso(-121_000) })
    res = await get('/api/health/fleet')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ status: 'degraded', agents: { known: 3, active: 2, stale: 1 } })
    t.db.prepare("DELETE FROM agents WHERE pc_id = 'pc-c'").run()
  })

  it('a missing resource degrades the fleet and is named', async () => {
    const jsm = await nc.jetstreamManager()
    await jsm.streams.delete('KV_agents_state')
    try {
      const res = await get('/api/health/fleet')
      expect(res.statusCode).toBe(503)
      expect(res.json().jetstream).toEqual({ all_ok: false, healthy: 11, total: 12, missing: ['agents_state'] })
    } finally {
      await bootstrapJetStream(nc)
    }
    expect((await get('/api/health/fleet')).statusCode).toBe(200)
  })

  it('group filter and include_groups read KV agent_groups (both stored shapes)', async () => {
    const kv = await openKv(nc, 'agent_groups')
    await putRaw(kv, 'pc-a', JSON.stringify({ groups: ['canary', 'lab'] }))
    await putRaw(kv, 'pc-b', JSON.stringify(['lab'])) // the bare-array shape (Q5)
    await putRaw(kv, 'pc-x', JSON.stringify({ groups: ['lab'] })) // a PC with no agents row
    insertAgent(t.db, { pc_id: 'pc-gone', last_seen_at: iso() })
    await putRaw(kv, 'pc-gone', JSON.stringify({ groups: ['lab'] }))
    await kv.delete('pc-gone') // a deleted entry is no membership
    const lab = await get('/api/agents?group=lab&sort=pc_id')
    expect(lab.statusCode).toBe(200)
    expect(lab.json().map((a: { pc_id: string }) => a.pc_id)).toEqual(['pc-a', 'pc-b'])
    expect(lab.headers['x-total-count']).toBe('2')
    expect((await get('/api/agents?group=canary')).json().map((a: { pc_id: string }) => a.pc_id)).toEqual(['pc-a'])
    expect((await get('/api/agents?group=none')).json()).toEqual([])
    const withGroups = await get('/api/agents?include_groups=true&sort=pc_id')
    expect(withGroups.json().map((a: { groups: string[] }) => a.groups)).toEqual([['canary', 'lab'], ['lab'], []])
    expect((await get('/api/agents/pc-a?include_groups=1')).json().groups).toEqual(['canary', 'lab'])
    expect((await get('/api/agents/pc-a')).json()).not.toHaveProperty('groups')
    t.db.prepare("DELETE FROM agents WHERE pc_id = 'pc-gone'").run()
  })

  it('reading a whole bucket: an empty bucket answers at once, a large one in one pass', async () => {
    const { readBucket } = await import('../../../src/main/core/queries/kv-read')
    expect(await readBucket(nc, 'agents_state')).toEqual(new Map())
    expect(await readBucket(nc, 'no_such_bucket')).toEqual(new Map())
    const kv = await openKv(nc, 'agents_state')
    const enc = new TextEncoder()
    for (let i = 0; i < 600; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => kv.put(`k${i + j}`, enc.encode(String(i + j)))))
    await kv.put('k5', enc.encode('newer'))
    await kv.delete('k7')
    const all = await readBucket(nc, 'agents_state')
    expect(all.size).toBe(599)
    expect(all.get('k5')).toBe('newer')
    expect(all.has('k7')).toBe(false)
    expect(all.get('k599')).toBe('599')
    expect(await readBucket(nc, 'agents_state', ['k1', 'k7', 'zz'])).toEqual(new Map([['k1', '1']]))
    for (const k of all.keys()) await kv.purge(k)
  })

  it('inventory routes use the job catalog for the manifest list and hints', async () => {
    const jobs = await openKv(nc, 'jobs')
    const execute = { shell: 'powershell', script: 'x', timeout: '1m', run_as: 'system' }
    const display = [{ field: 'hostname', label: 'Host' }, { field: 'disks', label: 'Disks', type: 'table', columns: [{ field: 'size', label: 'Size', type: 'bytes' }] }]
    await putRaw(jobs, 'inv-hw', JSON.stringify({ id: 'inv-hw', version: '2', description: 'Hardware', execute, require_approval: false, inventory: { display }, staleness: { mode: 'cached' } }))
    await putRaw(jobs, 'echo', JSON.stringify({ id: 'echo', version: '1', description: null, execute, require_approval: false, inventory: null, staleness: { mode: 'cached' } }))
    await putRaw(jobs, 'broken', '{not json')
    insertFacts(t.db, { pc_id: 'pc-a', job_id: 'inv-hw', facts: { hostname: 'A' }, display: [{ field: 'old', label: 'Old' }], collected_at: iso() })

    const list = await get('/api/inventory/jobs')
    expect(list.statusCode).toBe(200)
    expect(list.json()).toEqual([{ manifest_id: 'inv-hw', description: 'Hardware', display, summary: null }])
    const byJob = (await get('/api/inventory/by-job/inv-hw')).json()
    expect(byJob.display).toEqual(display) // the catalog's current hints win over the stored snapshot
    expect(byJob.rows).toEqual([{ pc_id: 'pc-a', facts: { hostname: 'A' }, collected_at: iso() }])
  })
})

describe('while the broker is down', () => {
  it('NATS-backed reads answer 503 nats_unavailable, health is degraded, SQLite reads keep working; recovery', async () => {
    await nats.server.stop()
    await waitFor(() => !link.connected)
    const js = await get('/api/jetstream/status')
    expect(js.statusCode).toBe(503)
    expect(js.json()).toMatchObject({ error: 'nats_unavailable' })
    expect((await get('/api/agents?group=lab')).statusCode).toBe(503)
    const health = await get('/api/health/fleet')
    expect(health.statusCode).toBe(503)
    expect(health.json()).toMatchObject({ status: 'degraded', nats_connected: false, jetstream: { healthy: 0 } })
    expect((await get('/api/agents')).statusCode).toBe(200)
    expect((await get('/api/results')).statusCode).toBe(200)
    // Without the catalog the inventory list falls back to the stored facts.
    expect((await get('/api/inventory/jobs')).json().map((j: { manifest_id: string }) => j.manifest_id)).toEqual(['inv-hw'])

    await nats.restart()
    await waitFor(() => link.connected)
    expect((await get('/api/jetstream/status')).statusCode).toBe(200)
  })
})
