// The pure apply path: offsets, dead letters, the retry ledger, SQLITE_BUSY and the
// transaction budget, without NATS.
import { afterEach, describe, expect, it } from 'vitest'
import { applyAll, applyChunk } from '../../../src/main/core/projectors/apply'
import { resultsProjector } from '../../../src/main/core/projectors/results'
import { auditProjector } from '../../../src/main/core/projectors/audit'
import { ManifestCache } from '../../../src/main/core/projectors/manifests'
import type { ApplyEnv, IncomingMessage, StreamProjector } from '../../../src/main/core/projectors/types'
import { openDatabase, closeDatabase } from '../../../src/main/core/db/open'
import { silentLogger } from '../../../src/main/core/log'
import { tempDb } from '../../helpers/db'

const enc = new TextEncoder()
const results = resultsProjector as StreamProjector
let cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.reverse()) c()
  cleanups = []
})

function setup() {
  const t = tempDb()
  cleanups.push(t.cleanup)
  const env: ApplyEnv = { db: t.db, now: () => Date.parse('2026-05-20T12:00:00Z'), manifests: ManifestCache.of({}, silentLogger), log: silentLogger }
  t.db
    .prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count) VALUES ('e1', 'job', '1.0.0', 'operator', '2026-05-20T11:59:00.000Z', 100)`)
    .run()
  return { ...t, env }
}

function result(seq: number, over: Record<string, unknown> = {}, deliveries = 1): IncomingMessage {
  const body = {
    result_id: `r${seq}`,
    request_id: `q${seq}`,
    exec_id: 'e1',
    pc_id: `pc${seq}`,
    exit_code: 0,
    stdout: 'ok',
    stderr: '',
    started_at: '2026-05-20T12:00:00Z',
    finished_at: '2026-05-20T12:00:01Z',
    ...over,
  }
  return { stream: 'RESULTS', seq, subject: `results.q${seq}`, data: enc.encode(JSON.stringify(body)), deliveries }
}

const raw = (seq: number, text: string): IncomingMessage => ({ stream: 'RESULTS', seq, subject: `results.bad${seq}`, data: enc.encode(text), deliveries: 1 })
const counters = (db: ApplyEnv['db']) =>
  db.prepare("SELECT success_count AS s, failure_count AS f, status FROM executions WHERE exec_id = 'e1'").get() as { s: number; f: number; status: string }
const offset = (db: ApplyEnv['db'], p = 'results') =>
  (db.prepare('SELECT last_seq FROM projector_offsets WHERE projector = ?').get(p) as { last_seq: number } | undefined)?.last_seq ?? 0

describe('applyChunk', () => {
  it('dead-letters malformed JSON and schema-invalid payloads at once; the next good message still projects', () => {
    const { db, env } = setup()
    const r = applyAll(env, results, [raw(1, '{"request_id": 42'), raw(2, '{"request_id":"x","pc_id":"p"}'), result(3)], { maxDeliver: 5 })
    expect(r.outcomes.map((o) => o.kind)).toEqual(['dead_letter', 'dead_letter', 'applied'])
    const dl = db.prepare('SELECT projector, stream, stream_seq, subject, payload, error, deliveries FROM dead_letters ORDER BY stream_seq').all() as {
      stream_seq: number
      payload: Buffer
      error: string
      deliveries: number
    }[]
    expect(dl.map((d) => d.stream_seq)).toEqual([1, 2])
    expect(Buffer.from(dl[0].payload).toString()).toBe('{"request_id": 42')
    expect(dl[0].error).toMatch(/invalid JSON/)
    expect(dl[1].error).toMatch(/missing field/)
    expect(dl.every((d) => d.deliveries === 1)).toBe(true)
    expect(db.prepare('SELECT result_id FROM execution_results').all()).toEqual([{ result_id: 'r3' }])
    expect(offset(db)).toBe(3)
    expect(r.changes.deadLetters).toHaveLength(2)
  })

  it('a batch redelivered after its commit (crash before ack) is skipped: counters move once', () => {
    const { db, env } = setup()
    const batch = [result(1), result(2, { exit_code: 3 }), result(3)]
    applyAll(env, results, batch, { maxDeliver: 5 })
    const again = applyAll(env, results, batch.map((m) => ({ ...m, deliveries: 2 })), { maxDeliver: 5 })
    expect(again.outcomes.map((o) => o.kind)).toEqual(['skipped', 'skipped', 'skipped'])
    expect(counters(db)).toEqual({ s: 2, f: 1, status: 'running' })
    expect(again.changes.resultIds.size).toBe(0)
  })

  it('the same result published twice (new sequence) is applied once and counted once', () => {
    const { db, env } = setup()
    applyAll(env, results, [result(1)], { maxDeliver: 5 })
    const dup = { ...result(1), seq: 2 }
    expect(applyAll(env, results, [dup], { maxDeliver: 5 }).outcomes[0].kind).toBe('unchanged')
    expect(counters(db)).toEqual({ s: 1, f: 0, status: 'running' })
  })

  it('a failed message below the offset is still owed: its redelivery applies, a later one is skipped', () => {
    const { db, env } = setup()
    const failOnce = (m: IncomingMessage) => m.seq === 2 && m.deliveries === 1
    const r = applyAll(env, results, [result(1), result(2), result(3)], { maxDeliver: 5, failApply: failOnce, retryDelayMs: (n) => n * 100 })
    expect(r.outcomes.map((o) => o.kind)).toEqual(['applied', 'retry', 'applied'])
    expect(r.outcomes[1]).toMatchObject({ attempts: 1, delayMs: 100 })
    expect(offset(db)).toBe(3)
    expect(db.prepare('SELECT projector, stream_seq, attempts FROM projector_retries').all()).toEqual([{ projector: 'results', stream_seq: 2, attempts: 1 }])
    // The failed message's savepoint was rolled back: no row for r2 yet.
    expect(db.prepare("SELECT COUNT(*) AS n FROM execution_results WHERE result_id = 'r2'").get()).toEqual({ n: 0 })

    const redelivered = applyAll(env, results, [result(2, {}, 2)], { maxDeliver: 5, failApply: failOnce })
    expect(redelivered.outcomes[0].kind).toBe('applied')
    expect(db.prepare('SELECT COUNT(*) AS n FROM projector_retries').get()).toEqual({ n: 0 })
    expect(applyAll(env, results, [result(2, {}, 3)], { maxDeliver: 5 }).outcomes[0].kind).toBe('skipped')
    expect(counters(db)).toEqual({ s: 3, f: 0, status: 'running' })
  })

  it('dead-letters a message that fails on every delivery up to max_deliver, then forgets the retry', () => {
    const { db, env } = setup()
    const opts = { maxDeliver: 3, failApply: () => true }
    for (let d = 1; d <= 3; d++) {
      const kind = applyAll(env, results, [result(1, {}, d)], opts).outcomes[0].kind
      expect(kind).toBe(d < 3 ? 'retry' : 'dead_letter')
    }
    expect(db.prepare('SELECT stream_seq, deliveries, error FROM dead_letters').all()).toEqual([
      { stream_seq: 1, deliveries: 3, error: 'apply failed (test hook) on delivery 3' },
    ])
    expect(db.prepare('SELECT COUNT(*) AS n FROM projector_retries').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM execution_results').get()).toEqual({ n: 0 })
  })

  it('SQLITE_BUSY rolls the whole batch back and throws (nothing to ack); the retry applies it', () => {
    const { db, env, path } = setup()
    const mine = openDatabase(path, { busyTimeoutMs: 1 })
    cleanups.push(() => closeDatabase(mine))
    const other = openDatabase(path)
    cleanups.push(() => closeDatabase(other))
    const busyEnv = { ...env, db: mine }
    other.exec('BEGIN IMMEDIATE')
    expect(() => applyChunk(busyEnv, results, [result(1), result(2)], { maxDeliver: 5 })).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^SQLITE_BUSY/) }),
    )
    other.exec('COMMIT')
    expect(offset(db)).toBe(0)
    const r = applyChunk(busyEnv, results, [result(1), result(2)], { maxDeliver: 5 })
    expect(r.outcomes.map((o) => o.kind)).toEqual(['applied', 'applied'])
    expect(counters(db).s).toBe(2)
  })

  it('splits a batch at the time budget (at least one message per transaction)', () => {
    const { db, env } = setup()
    const msgs = [1, 2, 3, 4].map((s) => result(s))
    const first = applyChunk(env, results, msgs, { maxDeliver: 5, budgetMs: 0 })
    expect(first.consumed).toBe(1)
    expect(first.lastSeq).toBe(1)
    expect(applyChunk(env, results, msgs, { maxDeliver: 5, maxMessages: 2 }).consumed).toBe(2)
    // seq 1 (first call) and seq 2 (second call) are in; the rest applies one per transaction.
    expect(applyAll(env, results, msgs, { maxDeliver: 5, budgetMs: 0 }).outcomes.map((o) => o.kind)).toEqual([
      'skipped',
      'skipped',
      'applied',
      'applied',
    ])
    expect(offset(db)).toBe(4)
  })

  it('audit rows are deduplicated by stream sequence even when the offset is lost', () => {
    const { db, env } = setup()
    const msg: IncomingMessage = {
      stream: 'AUDIT',
      seq: 9,
      subject: 'audit.operator.exec.j',
      data: enc.encode(JSON.stringify({ actor: 'operator', action: 'exec', target: 'j', payload: { a: 1 }, occurred_at: '2026-05-20T12:00:00Z' })),
      deliveries: 1,
    }
    expect(applyAll(env, auditProjector as StreamProjector, [msg], { maxDeliver: 5 }).changes.auditCount).toBe(1)
    db.prepare('DELETE FROM projector_offsets').run()
    expect(applyAll(env, auditProjector as StreamProjector, [msg], { maxDeliver: 5 }).outcomes[0].kind).toBe('unchanged')
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 1 })
  })
})
