import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  insertAgent,
  insertAudit,
  insertDeadLetter,
  insertExecution,
  insertFacts,
  insertResult,
  iso,
  testApi,
  type TestApi,
} from './helpers'

// Every read route through fastify's inject, on rows inserted the way the projectors write them.

let t: TestApi
const get = (url: string) => t.app.inject({ method: 'GET', url })

beforeAll(async () => {
  t = await testApi()
  const db = t.db
  // Agents: pc-01 online (seen 30 s ago, agent clock 1.5 s ahead), pc-02 offline (seen 3 min ago),
  // pc-03 never seen by this console (imported row).
  insertAgent(db, {
    pc_id: 'pc-01',
    hostname: 'PC-ONE',
    os_family: 'windows',
    agent_version: '0.30.0',
    last_heartbeat: iso(-28_500),
    last_seen_at: iso(-30_000),
    updated_at: iso(-30_000),
  })
  insertAgent(db, {
    pc_id: 'pc-02',
    hostname: 'pc-two',
    os_family: 'windows',
    agent_version: '0.30.1',
    last_heartbeat: iso(-180_000),
    last_seen_at: iso(-180_000),
    updated_at: iso(-180_000),
  })
  insertAgent(db, { pc_id: 'pc-03', hostname: null, agent_version: '0.30.0', last_heartbeat: '2026-05-19T08:00:00+00:00', updated_at: '2026-05-19 08:00:00' })

  insertExecution(db, { exec_id: 'e1', job_id: 'echo', target_count: 3, success_count: 1, failure_count: 1, status: 'running', initiated_at: iso(-60_000) })
  insertExecution(db, { exec_id: 'e2', job_id: 'inv', target_count: 1, status: 'pending', initiated_at: iso(-10_000) })
  insertExecution(db, { exec_id: 'e0', job_id: 'echo', target_count: 1, success_count: 1, status: 'completed', initiated_at: iso(-3_600_000) })

  insertResult(db, { result_id: 'r1', exec_id: 'e1', pc_id: 'pc-01', job_id: 'echo', exit_code: 0, stdout: 'hello 100%_done', finished_at: iso(-50_000), recorded_at: iso(-55_000), version: '1.0.0' })
  insertResult(db, { result_id: 'r2', exec_id: 'e1', pc_id: 'pc-02', job_id: 'echo', exit_code: 2, stderr: 'Access DENIED', finished_at: iso(-40_000), recorded_at: iso(-45_000) })
  insertResult(db, { result_id: 'r3', exec_id: 'e1', pc_id: 'pc-03', job_id: 'echo', recorded_at: iso(-35_000) })
  insertResult(db, { result_id: 'r4', exec_id: null, pc_id: 'pc-01', exit_code: 0, stdout: 'adhoc', finished_at: iso(-20_000), recorded_at: iso(-20_000) })
  insertResult(db, { result_id: 'r0', exec_id: 'e0', pc_id: 'pc-01', job_id: 'echo', exit_code: 0, finished_at: iso(-3_500_000), recorded_at: iso(-3_500_000) })

  insertAudit(db, { actor: 'operator', action: 'exec', target: 'echo', payload: { exec_id: 'e1', target_count: 3 }, occurred_at: iso(-60_000), stream_seq: 7 })
  insertAudit(db, { actor: 'scheduler', action: 'exec', target: 'inv', payload: { exec_id: 'e2' }, occurred_at: iso(-10_000), stream_seq: 8 })
  insertAudit(db, { actor: 'alice', action: 'job_upsert', target: 'echo', payload: undefined, occurred_at: iso(-5_000), stream_seq: 9 })

  const display = [{ field: 'hostname', label: 'Hostname' }, { field: 'ram_bytes', label: 'RAM', type: 'bytes' }]
  insertFacts(db, { pc_id: 'pc-01', job_id: 'inventory-hw', facts: { hostname: 'PC-01', ram_bytes: 17179869184 }, display, summary: [display[0]], collected_at: iso(-1000) })
  insertFacts(db, { pc_id: 'pc-02', job_id: 'inventory-hw', facts: { hostname: 'PC-02', ram_bytes: 8589934592 }, display, collected_at: iso(-2000), recorded_at: iso(-2000) })
  insertFacts(db, { pc_id: 'pc-01', job_id: 'inventory-sw', facts: { apps: 12 }, display: [{ field: 'apps', label: 'Apps' }], collected_at: iso(-3000) })

  db.prepare(`INSERT INTO projector_offsets (projector, stream, consumer, last_seq, updated_at) VALUES ('results', 'RESULTS', 'test_results', 42, ?)`).run(iso(-1000))
  insertDeadLetter(db, { projector: 'results', stream_seq: 11, subject: 'results.req-d1', payload: Buffer.from('{"not":"a result"}'), error: 'schema: missing pc_id', deliveries: 5, created_at: iso(-7_000) })
  insertDeadLetter(db, { projector: 'results', stream_seq: 13, subject: 'results.req-bad', payload: Buffer.from([0xff, 0xfe, 0x00, 0x41]), error: 'invalid JSON', created_at: iso(-6_000) })
  insertDeadLetter(db, { projector: 'audit', stream: 'AUDIT', stream_seq: 3, subject: 'audit.x.y', payload: Buffer.from('x'), error: 'bad', created_at: iso(-100_000) })
})

afterAll(async () => t.close())

describe('GET /api/agents', () => {
  it('lists every agent in kanade order (updated_at DESC) with liveness and online/offline counts', async () => {
    const res = await get('/api/agents')
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-total-count']).toBe('3')
    expect(res.headers['x-online-count']).toBe('1')
    expect(res.headers['x-offline-count']).toBe('2')
    const rows = res.json()
    expect(rows.map((r: { pc_id: string }) => r.pc_id)).toEqual(['pc-01', 'pc-02', 'pc-03'])
    expect(rows[0]).toEqual({
      pc_id: 'pc-01',
      hostname: 'PC-ONE',
      os_family: 'windows',
      agent_version: '0.30.0',
      last_heartbeat: iso(-28_500),
      updated_at: iso(-30_000),
      last_seen_at: iso(-30_000),
      online: true,
      clock_skew_ms: 1500,
    })
    expect(rows[1].online).toBe(false)
    // An imported kanade 0.30 row: timestamps rendered canonically, never seen → offline, skew unknown.
    expect(rows[2]).toMatchObject({ last_heartbeat: '2026-05-19T08:00:00.000Z', updated_at: '2026-05-19T08:00:00.000Z', online: false, clock_skew_ms: null, last_seen_at: null })
  })

  it('filters by status, q (pc_id or hostname, case-insensitive), version; counts ignore the status filter', async () => {
    const offline = await get('/api/agents?status=offline')
    expect(offline.json().map((r: { pc_id: string }) => r.pc_id)).toEqual(['pc-02', 'pc-03'])
    expect(offline.headers['x-total-count']).toBe('2')
    expect(offline.headers['x-online-count']).toBe('1')
    expect((await get('/api/agents?status=online')).json().map((r: { pc_id: string }) => r.pc_id)).toEqual(['pc-01'])
    expect((await get('/api/agents?q=TWO')).json().map((r: { pc_id: string }) => r.pc_id)).toEqual(['pc-02'])
    expect((await get('/api/agents?q=pc-0')).headers['x-total-count']).toBe('3')
    expect((await get('/api/agents?q=%25')).json()).toEqual([]) // a literal %, not a wildcard
    const v = await get('/api/agents?version=0.30.0')
    expect(v.json().map((r: { pc_id: string }) => r.pc_id)).toEqual(['pc-01', 'pc-03'])
    expect(v.headers['x-offline-count']).toBe('1')
  })

  it('sorts and pages', async () => {
    const res = await get('/api/agents?sort=pc_id&limit=2&offset=1')
    expect(res.json().map((r: { pc_id: string }) => r.pc_id)).toEqual(['pc-02', 'pc-03'])
    expect(res.headers['x-total-count']).toBe('3')
    expect((await get('/api/agents?sort=-pc_id&limit=1')).json()[0].pc_id).toBe('pc-03')
  })

  it('returns every agent when no limit is given (kanade has no paging here)', async () => {
    const big = await testApi()
    for (let i = 0; i < 75; i++) insertAgent(big.db, { pc_id: `pc-${String(i).padStart(3, '0')}` })
    const res = await big.app.inject({ method: 'GET', url: '/api/agents' })
    expect(res.json()).toHaveLength(75)
    expect((await big.app.inject({ method: 'GET', url: '/api/agents?limit=10' })).json()).toHaveLength(10)
    await big.close()
  })

  it('GET /api/agents/:pc_id returns one row or 404', async () => {
    expect((await get('/api/agents/pc-02')).json()).toMatchObject({ pc_id: 'pc-02', hostname: 'pc-two', online: false })
    const miss = await get('/api/agents/nope')
    expect(miss.statusCode).toBe(404)
    expect(miss.json()).toEqual({ error: 'not_found', message: "agent 'nope' not found" })
  })

  it('long ids reach the handler: 404 for an unknown 200-character pc id, 400 beyond 255', async () => {
    const long = await get(`/api/agents/${'p'.repeat(200)}`)
    expect(long.statusCode).toBe(404)
    expect(long.json().message).toMatch(/^agent 'ppp/)
    const tooLong = await get(`/api/agents/${'p'.repeat(300)}`)
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json().message).toBe('params.pc_id: must be at most 255 characters')
  })

  it('a group filter needs the broker: 503 without one', async () => {
    const res = await get('/api/agents?group=lab')
    expect(res.statusCode).toBe(503)
    expect(res.json().error).toBe('nats_unavailable')
  })
})

describe('GET /api/results', () => {
  const ids = async (q: string) => (await get(`/api/results${q}`)).json().map((r: { result_id: string }) => r.result_id)

  it('lists newest first (recorded_at DESC) in kanade ResultRow shape plus recorded_at and status', async () => {
    const res = await get('/api/results')
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-total-count']).toBe('5')
    const rows = res.json()
    expect(rows.map((r: { result_id: string }) => r.result_id)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0'])
    expect(rows[3]).toEqual({
      result_id: 'r1',
      request_id: 'req-r1',
      exec_id: 'e1',
      pc_id: 'pc-01',
      exit_code: 0,
      stdout: 'hello 100%_done',
      stderr: '',
      started_at: iso(),
      finished_at: iso(-50_000),
      job_id: 'echo',
      version: '1.0.0',
      recorded_at: iso(-55_000),
      status: 'success',
    })
    expect(rows[1]).toMatchObject({ result_id: 'r3', exit_code: null, finished_at: null, status: 'running' })
  })

  it('filters: status, pc_id, job_id, exec_id, since/until, q in stdout or stderr', async () => {
    expect(await ids('?status=success')).toEqual(['r4', 'r1', 'r0'])
    expect(await ids('?status=failure')).toEqual(['r2'])
    expect(await ids('?status=running')).toEqual(['r3'])
    expect(await ids('?pc_id=pc-01')).toEqual(['r4', 'r1', 'r0'])
    expect(await ids('?job_id=echo&exec_id=e1')).toEqual(['r3', 'r2', 'r1'])
    expect(await ids(`?since=${iso(-45_000)}`)).toEqual(['r4', 'r3', 'r2'])
    expect(await ids(`?since=${iso(-60_000)}&until=${iso(-45_000)}`)).toEqual(['r1'])
    // Another accepted timestamp shape (kanade 0.30's `+00:00`).
    expect(await ids(`?until=${encodeURIComponent('2026-05-20T12:59:00+01:00')}`)).toEqual(['r0'])
    expect(await ids('?q=denied')).toEqual(['r2'])
    expect(await ids('?q=100%25_')).toEqual(['r1'])
    expect(await ids('?q=0%25x')).toEqual([])
  })

  it('sorts, pages and keeps X-Total-Count as the count before paging', async () => {
    const res = await get('/api/results?sort=pc_id&limit=2&offset=1')
    expect(res.headers['x-total-count']).toBe('5')
    expect(res.json()).toHaveLength(2)
    expect(await ids('?sort=exit_code&status=success&limit=1')).toHaveLength(1)
    expect(await ids('?sort=-recorded_at&limit=2')).toEqual(['r4', 'r3'])
  })

  it('GET /api/results/:result_id, 404 when unknown', async () => {
    expect((await get('/api/results/r2')).json()).toMatchObject({ result_id: 'r2', stderr: 'Access DENIED', status: 'failure' })
    expect((await get('/api/results/zzz')).statusCode).toBe(404)
  })
})

describe('executions', () => {
  it('lists newest first with filters', async () => {
    const res = await get('/api/executions')
    expect(res.headers['x-total-count']).toBe('3')
    expect(res.json().map((e: { exec_id: string }) => e.exec_id)).toEqual(['e2', 'e1', 'e0'])
    expect(res.json()[1]).toEqual({
      exec_id: 'e1',
      job_id: 'echo',
      version: '1.0.0',
      initiated_by: 'operator',
      initiated_at: iso(-60_000),
      target_count: 3,
      success_count: 1,
      failure_count: 1,
      status: 'running',
    })
    expect((await get('/api/executions?job_id=echo')).json().map((e: { exec_id: string }) => e.exec_id)).toEqual(['e1', 'e0'])
    expect((await get('/api/executions?status=pending')).json().map((e: { exec_id: string }) => e.exec_id)).toEqual(['e2'])
  })

  it('GET /api/executions/:exec_id: summaries newest first, exit_code null while running (Q16), progress', async () => {
    const res = await get('/api/executions/e1')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.execution.exec_id).toBe('e1')
    expect(body.results.map((r: { result_id: string }) => r.result_id)).toEqual(['r3', 'r2', 'r1'])
    expect(body.results[0]).toEqual({
      result_id: 'r3',
      request_id: 'req-r3',
      pc_id: 'pc-03',
      exit_code: null,
      started_at: iso(),
      finished_at: null,
      recorded_at: iso(-35_000),
      status: 'running',
    })
    expect(body.results[0]).not.toHaveProperty('stdout')
    expect(body.progress).toEqual({ target_count: 3, reported: 3, done: 2, success: 1, failure: 1, running: 1, pending: 1, not_reported: 0 })
    const e2 = (await get('/api/executions/e2')).json()
    expect(e2.progress).toEqual({ target_count: 1, reported: 0, done: 0, success: 0, failure: 0, running: 0, pending: 1, not_reported: 1 })
    expect((await get('/api/executions/nope')).statusCode).toBe(404)
  })
})

describe('GET /api/audit', () => {
  it('lists newest first with parsed payloads and filters actor, action, target, time range', async () => {
    const res = await get('/api/audit')
    expect(res.headers['x-total-count']).toBe('3')
    const rows = res.json()
    expect(rows.map((r: { actor: string }) => r.actor)).toEqual(['alice', 'scheduler', 'operator'])
    expect(rows[2]).toEqual({
      id: expect.any(Number),
      actor: 'operator',
      action: 'exec',
      target: 'echo',
      payload: { exec_id: 'e1', target_count: 3 },
      occurred_at: iso(-60_000),
      stream_seq: 7,
    })
    expect(rows[0].payload).toBeNull()
    const actors = async (q: string) => (await get(`/api/audit${q}`)).json().map((r: { actor: string }) => r.actor)
    expect(await actors('?action=exec')).toEqual(['scheduler', 'operator'])
    expect(await actors('?actor=operator')).toEqual(['operator'])
    expect(await actors('?target=echo')).toEqual(['alice', 'operator'])
    expect(await actors(`?since=${iso(-10_000)}`)).toEqual(['alice', 'scheduler'])
    expect(await actors(`?until=${iso(-10_000)}`)).toEqual(['operator'])
    expect(await actors('?limit=1&offset=1')).toEqual(['scheduler'])
  })
})

describe('GET /api/health/fleet', () => {
  it('is degraded (503, same JSON) without a broker: no resource can be shown to exist', async () => {
    const res = await get('/api/health/fleet')
    expect(res.statusCode).toBe(503)
    const h = res.json()
    expect(h).toMatchObject({
      status: 'degraded',
      agents: { known: 3, active: 1, stale: 2 },
      jetstream: { all_ok: false, healthy: 0, total: 12 },
      recent_results: { window_hours: 24, total: 5, failed: 1 },
      observed_at: iso(),
      nats_connected: false,
    })
    expect(h.jetstream.missing).toContain('RESULTS')
    expect(h.jetstream.missing).not.toContain('jobs')
  })

  it('GET /api/jetstream/status is 503 nats_unavailable without a broker', async () => {
    const res = await get('/api/jetstream/status')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({ error: 'nats_unavailable', message: expect.stringContaining('NATS') })
  })
})

describe('inventory (no broker: from stored facts)', () => {
  it('GET /api/inventory/jobs lists manifests with stored facts and their newest hints', async () => {
    const res = await get('/api/inventory/jobs')
    expect(res.headers['x-total-count']).toBe('2')
    expect(res.json()).toEqual([
      {
        manifest_id: 'inventory-hw',
        description: null,
        display: [{ field: 'hostname', label: 'Hostname' }, { field: 'ram_bytes', label: 'RAM', type: 'bytes' }],
        summary: [{ field: 'hostname', label: 'Hostname' }],
      },
      { manifest_id: 'inventory-sw', description: null, display: [{ field: 'apps', label: 'Apps' }], summary: null },
    ])
  })

  it('GET /api/inventory/by-job/:manifest_id returns every PC’s facts', async () => {
    const body = (await get('/api/inventory/by-job/inventory-hw')).json()
    expect(body.manifest_id).toBe('inventory-hw')
    expect(body.display).toHaveLength(2)
    expect(body.rows).toEqual([
      { pc_id: 'pc-01', facts: { hostname: 'PC-01', ram_bytes: 17179869184 }, collected_at: iso(-1000) },
      { pc_id: 'pc-02', facts: { hostname: 'PC-02', ram_bytes: 8589934592 }, collected_at: iso(-2000) },
    ])
    expect((await get('/api/inventory/by-job/none')).json()).toEqual({ manifest_id: 'none', display: null, summary: null, rows: [] })
  })

  it('GET /api/inventory/:pc_id lists the PC’s facts by job id (static segments win over :pc_id)', async () => {
    const res = await get('/api/inventory/pc-01')
    expect(res.headers['x-total-count']).toBe('2')
    expect(res.json().map((r: { job_id: string }) => r.job_id)).toEqual(['inventory-hw', 'inventory-sw'])
    expect(res.json()[1]).toEqual({ job_id: 'inventory-sw', facts: { apps: 12 }, display: [{ field: 'apps', label: 'Apps' }], summary: null, collected_at: iso(-3000), recorded_at: iso() })
  })
})

describe('projectors and dead letters', () => {
  it('GET /api/projectors merges stored offsets, dead-letter counts and the live status', async () => {
    let res = await get('/api/projectors')
    expect(res.json()).toEqual([
      { name: 'audit', consumer: null, stream: null, last_seq: 0, pending: null, dead_letters: 1, last_error: null, rate: null, state: 'stopped', updated_at: null },
      { name: 'results', consumer: 'test_results', stream: 'RESULTS', last_seq: 42, pending: null, dead_letters: 2, last_error: null, rate: null, state: 'stopped', updated_at: iso(-1000) },
    ])
    t.core.subsystems.set('projectors', {
      stop: async () => {},
      status: () => [{ name: 'results', last_seq: 45, pending: 3, dead_letters: 2, last_error: 'busy', rate: 120.5, state: 'running' }],
    } as never)
    res = await get('/api/projectors')
    expect(res.json()[1]).toMatchObject({ name: 'results', last_seq: 45, pending: 3, rate: 120.5, state: 'running', last_error: 'busy' })
    t.core.subsystems.delete('projectors')
  })

  it('GET /api/dead_letters: newest first, UTF-8 payloads as text, others base64; filters and paging', async () => {
    const res = await get('/api/dead_letters')
    expect(res.headers['x-total-count']).toBe('3')
    const rows = res.json()
    expect(rows.map((r: { stream_seq: number }) => r.stream_seq)).toEqual([13, 11, 3])
    expect(rows[0]).toMatchObject({ payload: Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'), payload_encoding: 'base64', size: 4, error: 'invalid JSON' })
    expect(rows[1]).toMatchObject({ payload: '{"not":"a result"}', payload_encoding: 'utf8', deliveries: 5, subject: 'results.req-d1' })
    expect((await get('/api/dead_letters?projector=audit')).json()).toHaveLength(1)
    expect((await get(`/api/dead_letters?since=${iso(-6_500)}`)).json().map((r: { stream_seq: number }) => r.stream_seq)).toEqual([13])
    expect((await get('/api/dead_letters?limit=1&offset=1')).json()[0].stream_seq).toBe(11)
    const one = await get(`/api/dead_letters/${rows[1].id}`)
    expect(one.json()).toEqual(rows[1])
    expect((await get('/api/dead_letters/99999')).statusCode).toBe(404)
  })
})
