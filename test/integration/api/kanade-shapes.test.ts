import type { NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildHttpApp } from '../../../src/main/core/http/server'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { NatsLink } from '../../../src/main/core/nats/connect'
import { startProjectors, type ProjectorsHandle } from '../../../src/main/core/projectors'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { makeCore, insertExecution } from '../../unit/http/helpers'
import { wireVectors, type WireVector } from '../../unit/wire/fixtures'

// The kanade CLI's and curl's view: wire-fixture messages published to a real nats-server,
// projected by the real projectors, read back over real HTTP with a bearer token. Each row
// must carry kanade 0.30's fields (the CLI decodes them) with RFC 3339 `Z` timestamps.

const FIXTURES = wireVectors() as (WireVector & { subject: string })[]
const fixture = (name: string) => FIXTURES.find((f) => f.name === name)!

const RESULT_FIXTURES = FIXTURES.filter((f) => f.name.startsWith('exec-result/'))
const AUDIT_FIXTURES = FIXTURES.filter((f) => f.name.startsWith('audit/'))
const HEARTBEATS = ['heartbeat/minimal-legacy', 'heartbeat/agent-0.30', 'heartbeat/later-agent'].map(fixture)
const EXEC_ID = '3b9f2c44-8d1a-4e7b-a0f6-5d2e9c1b7a10'

const KANADE = {
  agent: ['pc_id', 'hostname', 'os_family', 'agent_version', 'last_heartbeat', 'updated_at'],
  result: ['result_id', 'request_id', 'exec_id', 'pc_id', 'exit_code', 'stdout', 'stderr', 'started_at', 'finished_at', 'job_id', 'version'],
  execution: ['exec_id', 'job_id', 'version', 'initiated_by', 'initiated_at', 'target_count', 'success_count', 'failure_count', 'status'],
  audit: ['id', 'actor', 'action', 'target', 'payload', 'occurred_at'],
  summary: ['result_id', 'request_id', 'pc_id', 'exit_code', 'started_at', 'finished_at'],
}
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

let nats: TestNats
let nc: NatsConnection
let link: NatsLink
let c: ReturnType<typeof makeCore>
let projectors: ProjectorsHandle
let app: FastifyInstance
let base: string
const TOKEN = 'cli-token'

async function curl(path: string): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}`, 'x-kanade-source': 'cli' } })
  return { status: res.status, headers: res.headers, body: await res.json() }
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const start = Date.now()
  for (;;) {
    const v = await f()
    if (ok(v)) return v
    if (Date.now() - start > ms) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 500)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function expectKanadeRow(row: Record<string, unknown>, keys: string[], timeKeys: string[]) {
  for (const k of keys) expect(row, k).toHaveProperty(k)
  for (const k of timeKeys) if (row[k] !== null) expect(String(row[k]), k).toMatch(TIMESTAMP)
}

let sse: { text: () => string; stop: () => void }

beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc)
  link = await NatsLink.open({ servers: [nats.url] })
  c = makeCore({ nats: link, now: Date.now, auth: { disabled: false, staticToken: TOKEN } })
  projectors = await startProjectors(c.core, { runner: { maxWaitMs: 5 }, heartbeats: { flushMs: 20 } })
  c.core.subsystems.set('projectors', projectors)
  app = await buildHttpApp(c.core, { webRoot: null })
  base = await app.listen({ host: '127.0.0.1', port: 0 })

  // Live updates over SSE while the data arrives.
  const ctl = new AbortController()
  const res = await fetch(`${base}/api/events?token=${TOKEN}`, { signal: ctl.signal })
  let text = ''
  const reader = res.body!.getReader()
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
    } catch {
      // aborted
    }
  })()
  sse = { text: () => text, stop: () => ctl.abort() }

  // The exec pipeline's row for the two-PC exec the result fixtures belong to.
  insertExecution(c.db, { exec_id: EXEC_ID, job_id: 'cleanup', version: '1.2.0', initiated_by: 'scheduler', target_count: 2, initiated_at: new Date().toISOString() })
  const enc = new TextEncoder()
  for (const h of HEARTBEATS) nc.publish(h.subject, enc.encode(JSON.stringify(h.payload)))
  for (const a of AUDIT_FIXTURES) nc.publish(a.subject, enc.encode(JSON.stringify(a.payload)))
  const js = nc.jetstream()
  for (const r of RESULT_FIXTURES) await js.publish(r.subject, enc.encode(JSON.stringify(r.payload)))
  await nc.flush()
})

afterAll(async () => {
  sse?.stop()
  await app?.close()
  await projectors?.stop()
  await link?.close()
  c?.cleanup()
  await nats?.stop()
})

describe('kanade CLI / curl calls against projected fixture data', () => {
  it('GET /api/results: every fixture result, kanade ResultRow fields, newest first', async () => {
    const r = await until(() => curl('/api/results?limit=100'), (v) => (v.body as unknown[]).length === RESULT_FIXTURES.length)
    expect(r.status).toBe(200)
    expect(r.headers.get('x-total-count')).toBe(String(RESULT_FIXTURES.length))
    const rows = r.body as Record<string, unknown>[]
    for (const row of rows) expectKanadeRow(row, KANADE.result, ['started_at', 'finished_at', 'recorded_at'])
    const failure = rows.find((x) => x.pc_id === 'PC-WAVE1-07')!
    expect(failure).toMatchObject({ exit_code: 1, exec_id: EXEC_ID, status: 'failure' })
    expect(failure.stderr).toMatch(/Access to the path/)
    const killed = (await curl('/api/results?status=failure&pc_id=minipc')).body as Record<string, unknown>[]
    expect(killed.map((x) => x.exit_code).sort()).toEqual([-1, -1, 125, 127].sort())
  })

  it('GET /api/executions and /:exec_id: counters moved by the results; summaries in kanade shape', async () => {
    const list = await until(() => curl('/api/executions'), (v) => (v.body as { status: string }[])[0]?.status === 'completed')
    const rows = list.body as Record<string, unknown>[]
    expectKanadeRow(rows[0], KANADE.execution, ['initiated_at'])
    expect(rows[0]).toMatchObject({ exec_id: EXEC_ID, target_count: 2, success_count: 1, failure_count: 1, status: 'completed' })
    const detail = (await curl(`/api/executions/${EXEC_ID}`)).body as { results: Record<string, unknown>[]; progress: Record<string, number> }
    expect(detail.results).toHaveLength(2)
    for (const s of detail.results) expectKanadeRow(s, KANADE.summary, ['started_at', 'finished_at'])
    expect(detail.progress).toMatchObject({ done: 2, pending: 0, not_reported: 0 })
  })

  it('GET /api/audit: every fixture event, parsed payloads', async () => {
    const r = await until(() => curl('/api/audit'), (v) => (v.body as unknown[]).length === AUDIT_FIXTURES.length)
    const rows = r.body as Record<string, unknown>[]
    for (const row of rows) expectKanadeRow(row, KANADE.audit, ['occurred_at'])
    const exec = rows.find((x) => x.target === 'echo-test' && x.action === 'exec')!
    expect(exec.payload).toMatchObject({ exec_id: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', subjects: ['commands.all'], source: 'cli' })
    expect((await curl('/api/audit?actor=scheduler')).body).toHaveLength(2)
  })

  it('GET /api/agents: online by the console’s receive time even with old agent clocks (Q17)', async () => {
    const r = await until(() => curl('/api/agents?sort=pc_id'), (v) => (v.body as unknown[]).length === HEARTBEATS.length)
    const rows = r.body as Record<string, unknown>[]
    for (const row of rows) expectKanadeRow(row, KANADE.agent, ['last_heartbeat', 'updated_at', 'last_seen_at'])
    expect(rows.map((x) => x.pc_id)).toEqual(['MINIPC', 'PC-01', 'x'])
    expect(rows.every((x) => x.online === true)).toBe(true)
    expect(r.headers.get('x-online-count')).toBe('3')
    expect(rows[0]).toMatchObject({ hostname: 'MINIPC', os_family: 'windows', agent_version: '0.30.0' })
    expect(rows[0].clock_skew_ms as number).toBeLessThan(-1000) // the fixture's `at` is in the past
  })

  it('GET /api/projectors shows the running projectors', async () => {
    const rows = (await curl('/api/projectors')).body as Record<string, unknown>[]
    const results = rows.find((x) => x.name === 'results')!
    expect(results).toMatchObject({ stream: 'RESULTS', state: 'running' })
    expect(results.last_seq as number).toBeGreaterThanOrEqual(RESULT_FIXTURES.length)
  })

  it('the projectors’ change feed reached SSE clients', async () => {
    await until(async () => sse.text(), (t) => /event: results\.changed/.test(t) && /event: agents\.changed/.test(t))
    expect(sse.text()).toMatch(/event: execution\.progress\ndata: \{"type":"execution\.progress"/)
  })
})
