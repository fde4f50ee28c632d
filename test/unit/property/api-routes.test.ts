// Bad input on the HTTP API, property-based (issue 10): random requests on every /api route
// of the contract never get a 5xx that is not by design, always get a JSON error body for a
// 4xx, and never take the server down. Without a broker here: a NATS-backed route answers 503
// `nats_unavailable` (the contract's documented outage answer), and fleet health answers 503
// when degraded (kanade's rule); anything else ≥ 500 is a bug. The same fuzz against a live
// broker is test/faults/api-fuzz.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { operations } from '../../../src/shared/api/index'
import type { OperationDef } from '../../../src/shared/api/op'
import { insertAgent, insertAudit, insertDeadLetter, insertExecution, insertResult, iso, testApi, type TestApi } from '../http/helpers'
import { apiRequest, checkAnswer, RUNS_PER_ROUTE } from './api-requests'

let api: TestApi
beforeAll(async () => {
  api = await testApi()
  const db = api.db
  insertAgent(db, { pc_id: 'PC-1', hostname: 'pc-1', last_heartbeat: iso(), last_seen_at: iso() })
  insertExecution(db, { exec_id: 'e-1', job_id: 'job-1', target_count: 2 })
  insertResult(db, { result_id: 'r-1', pc_id: 'PC-1', exec_id: 'e-1', exit_code: 0, finished_at: iso(), job_id: 'job-1' })
  insertAudit(db, { actor: 'operator', action: 'exec', target: 'job-1', payload: { exec_id: 'e-1' }, stream_seq: 1 })
  insertDeadLetter(db, { projector: 'results', subject: 'results.x', payload: Buffer.from('{'), error: 'bad json', stream_seq: 7 })
})
afterAll(async () => api?.close())

const entries = Object.entries(operations as Record<string, OperationDef>)

describe.each(entries.map(([name, def]) => [`${def.method} ${def.path}`, name, def] as const))('%s', (_label, name, def) => {
  it('random requests: no unplanned 5xx, JSON errors, server alive', { timeout: 30_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(apiRequest(def), async (req) => {
        const res = await api.app.inject(req)
        checkAnswer(name, def, req, res, { natsUp: false })
      }),
      { numRuns: RUNS_PER_ROUTE },
    )
    const health = await api.app.inject({ method: 'GET', url: '/health' })
    expect(health.statusCode).toBe(200)
  })
})

// Inputs that broke or could break a parser, sent to every route that takes a body.
const NASTY_BODIES: { contentType: string; payload: string }[] = [
  { contentType: 'application/yaml', payload: '*!' }, // unresolved alias (once a 500)
  { contentType: 'application/yaml', payload: 'a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]' },
  { contentType: 'application/yaml', payload: 'a: 1\na: 2' },
  { contentType: 'application/json', payload: '['.repeat(5000) + ']'.repeat(5000) },
  { contentType: 'application/json', payload: '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}' },
  { contentType: 'application/json', payload: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }) },
  { contentType: 'multipart/form-data; boundary=zz', payload: '--zz\r\nContent-Disposition: form-data; name="f"\r\n\r\nabc' },
]

describe('fixed nasty bodies on every route with a body', () => {
  const withBody = entries.filter(([, def]) => def.body && def.method !== 'GET')
  it.each(withBody.map(([name, def]) => [name, def] as const))('%s', async (name, def) => {
    for (const b of NASTY_BODIES) {
      const req = { method: def.method, url: def.path.replace(/:[A-Za-z_]+/g, 'x'), headers: { 'content-type': b.contentType }, payload: b.payload }
      const res = await api.app.inject(req)
      checkAnswer(name, def, req, res, { natsUp: false })
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

