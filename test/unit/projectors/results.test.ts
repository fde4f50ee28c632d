// Results projector rules beyond the fixture: Q17, terminal statuses, the issue-10 output cap
// and lost-row replacement, the change set, inventory hints from the manifest cache.
import { afterEach, describe, expect, it } from 'vitest'
import { applyAll } from '../../../src/main/core/projectors/apply'
import { resultsProjector } from '../../../src/main/core/projectors/results'
import { eventsStartedProjector } from '../../../src/main/core/projectors/events-started'
import { ManifestCache } from '../../../src/main/core/projectors/manifests'
import type { ApplyEnv, IncomingMessage, StreamProjector } from '../../../src/main/core/projectors/types'
import { silentLogger } from '../../../src/main/core/log'
import { tempDb } from '../../helpers/db'

const enc = new TextEncoder()
let cleanup: (() => void) | null = null
afterEach(() => cleanup?.())

function setup(status = 'pending', target = 2, manifests: Record<string, unknown> = {}) {
  const t = tempDb()
  cleanup = t.cleanup
  const env: ApplyEnv = { db: t.db, now: () => Date.parse('2026-05-20T12:00:00Z'), manifests: ManifestCache.of(manifests, silentLogger), log: silentLogger }
  t.db
    .prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count, status) VALUES ('e1', 'job', '2.0.0', 'operator', ?, ?)`)
    .run(target, status)
  return env
}

let seq = 0
function msg(stream: 'RESULTS' | 'EVENTS', body: Record<string, unknown>): IncomingMessage {
  return { stream, seq: ++seq, subject: stream === 'RESULTS' ? 'results.q' : 'events.started.e1.pc1', data: enc.encode(JSON.stringify(body)), deliveries: 1 }
}
const result = (over: Record<string, unknown> = {}) =>
  msg('RESULTS', {
    result_id: 'r1',
    request_id: 'q1',
    exec_id: 'e1',
    pc_id: 'pc1',
    exit_code: 0,
    stdout: 'ok',
    stderr: '',
    started_at: '2026-05-20T12:00:00+00:00',
    finished_at: '2026-05-20T12:00:01.5Z',
    ...over,
  })
const apply = (env: ApplyEnv, p: StreamProjector, m: IncomingMessage) => applyAll(env, p, [m], { maxDeliver: 5, maxMessages: 1 })
const R = resultsProjector as StreamProjector
const row = (env: ApplyEnv) => env.db.prepare("SELECT * FROM execution_results WHERE result_id = 'r1'").get() as Record<string, unknown>
const exec = (env: ApplyEnv) =>
  env.db.prepare("SELECT success_count AS s, failure_count AS f, status FROM executions WHERE exec_id = 'e1'").get()

describe('results projector', () => {
  it('stores canonical timestamps and fills version from the exec (Q17); a late start event keeps it', () => {
    const env = setup()
    apply(env, R, result())
    expect(row(env)).toMatchObject({ started_at: '2026-05-20T12:00:00.000Z', finished_at: '2026-05-20T12:00:01.500Z', version: '2.0.0' })
    const late = apply(env, eventsStartedProjector as StreamProjector, msg('EVENTS', {
      result_id: 'r1', request_id: 'q1', exec_id: 'e1', pc_id: 'pc1', started_at: '2026-05-20T12:00:00Z', manifest_id: 'job', version: '1.9.9',
    }))
    expect(late.outcomes[0].kind).toBe('unchanged')
    expect(row(env)).toMatchObject({ version: '2.0.0', exit_code: 0 })
  })

  it('reports the exec progress and the changed ids in the change set', () => {
    const env = setup('pending', 1)
    const r = apply(env, R, result({ exit_code: 2 }))
    expect([...r.changes.resultIds]).toEqual(['r1'])
    expect([...r.changes.resultExecIds]).toEqual(['e1'])
    expect([...r.changes.resultPcIds]).toEqual(['pc1'])
    expect(r.changes.executions.get('e1')).toEqual({
      exec_id: 'e1', job_id: 'job', status: 'completed', target_count: 1, success_count: 0, failure_count: 1,
    })
  })

  it('keeps a failed (partially published) exec failed while its counters move', () => {
    const env = setup('failed', 1)
    apply(env, R, result())
    expect(exec(env)).toEqual({ s: 1, f: 0, status: 'failed' })
  })

  it('caps stdout / stderr to the configured size and notes it', () => {
    const env = { ...setup(), maxOutputBytes: 2048 }
    apply(env, R, result({ stdout: 'x'.repeat(10_000), stderr: 'short' }))
    const r = row(env)
    expect(Buffer.byteLength(String(r.stdout))).toBeLessThanOrEqual(2048)
    expect(r.stderr).toBe('short')
    expect(r.output_truncated).toBe(1)
    expect(r.output_note).toMatch(/stdout cut from 10000/)
  })

  it('replaces a row the reaper marked lost and moves the counters by the late-result delta', () => {
    const env = setup('running', 2)
    const db = env.db
    db.prepare(
      `INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, exit_code, stderr, started_at, finished_at, lost)
       VALUES ('r1', 'q1', 'e1', 'pc1', -1, 'lost: no result', '2026-05-20T11:00:00.000Z', '2026-05-20T11:50:00.000Z', 1)`,
    ).run()
    db.prepare("UPDATE executions SET failure_count = 1 WHERE exec_id = 'e1'").run()
    const r = apply(env, R, result({ exit_code: 0, stdout: 'real' }))
    expect(r.outcomes[0].kind).toBe('applied')
    expect(row(env)).toMatchObject({ exit_code: 0, stdout: 'real', stderr: '', lost: 0 })
    expect(exec(env)).toEqual({ s: 1, f: 0, status: 'running' })
    // Once replaced the row is finished: a second copy changes nothing.
    expect(apply(env, R, result({ exit_code: 1 })).outcomes[0].kind).toBe('unchanged')
    expect(exec(env)).toEqual({ s: 1, f: 0, status: 'running' })
  })

  it('a failing late result replacing a lost row leaves the counters (already one failure)', () => {
    const env = setup('running', 2)
    env.db.prepare(
      `INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, exit_code, started_at, finished_at, lost)
       VALUES ('r1', 'q1', 'e1', 'pc1', -1, '2026-05-20T11:00:00.000Z', '2026-05-20T11:50:00.000Z', 1)`,
    ).run()
    env.db.prepare("UPDATE executions SET failure_count = 1 WHERE exec_id = 'e1'").run()
    apply(env, R, result({ exit_code: 7 }))
    expect(row(env)).toMatchObject({ exit_code: 7, lost: 0 })
    expect(exec(env)).toEqual({ s: 0, f: 1, status: 'running' })
  })

  it('writes inventory from the whole stdout using the cached manifest hint; a manifest that does not decode gives none', () => {
    const hint = { display: [{ field: 'ram', label: 'RAM', type: 'bytes' }] }
    const manifest = (id: string, extra: Record<string, unknown> = {}) => ({
      id, version: '1', execute: { shell: 'powershell', script: 'x', timeout: '30s' }, inventory: hint, ...extra,
    })
    const env = { ...setup('pending', 2, { inv: manifest('inv'), broken: manifest('broken', { target: 'all' }) }), maxOutputBytes: 1024 }
    const big = JSON.stringify({ ram: 1, pad: 'y'.repeat(4000) })
    apply(env, R, result({ manifest_id: 'inv', stdout: big }))
    apply(env, R, result({ result_id: 'r2', pc_id: 'pc2', manifest_id: 'broken', stdout: '{"ram":2}' }))
    const rows = env.db.prepare('SELECT pc_id, job_id, facts_json, display_json, summary_json, collected_at FROM inventory_facts').all()
    expect(rows).toEqual([
      { pc_id: 'pc1', job_id: 'inv', facts_json: big, display_json: JSON.stringify(hint.display), summary_json: null, collected_at: '2026-05-20T12:00:01.500Z' },
    ])
  })
})
