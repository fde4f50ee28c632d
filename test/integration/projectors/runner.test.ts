// The stream runner against a real nats-server: crash between commit and ack, restart from
// the stored offset, a wiped database, SQLITE_BUSY, a deleted consumer, a dying loop (Q19),
// and undecodable payloads. Each test uses its own consumer prefix and temp database.
import type { NatsConnection } from 'nats'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { resultsProjector } from '../../../src/main/core/projectors/results'
import { auditProjector } from '../../../src/main/core/projectors/audit'
import { AckPolicy } from 'nats'
import type { StreamRunner } from '../../../src/main/core/projectors/runner'
import type { StreamProjector } from '../../../src/main/core/projectors/types'
import { tempDb } from '../../helpers/db'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { envFor, OutcomeLog, publish, resultPayload, runnerFor, waitFor } from './support'

let nats: TestNats
let nc: NatsConnection
beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc)
})
afterAll(async () => nats?.stop())

const R = resultsProjector as StreamProjector
const undo: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (undo.length) await undo.pop()!()
})

let n = 0
/** Fresh database with one exec of `target` PCs, and a unique exec id / prefix. */
function setup(target = 10_000) {
  n++
  const t = tempDb()
  undo.push(() => t.cleanup())
  const execId = `exec-run-${n}`
  t.db.prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count) VALUES (?, 'job', '1', 'op', ?)`).run(execId, target)
  const counts = () =>
    t.db.prepare('SELECT success_count AS s, failure_count AS f FROM executions WHERE exec_id = ?').get(execId) as { s: number; f: number }
  const rows = () => (t.db.prepare('SELECT COUNT(*) AS n FROM execution_results WHERE exec_id = ?').get(execId) as { n: number }).n
  return { ...t, execId, prefix: `rt${n}`, env: envFor(t.db), counts, rows }
}

function track(r: StreamRunner): StreamRunner {
  undo.push(() => r.stop())
  return r
}

async function publishResults(execId: string, count: number): Promise<number> {
  let last = 0
  for (let i = 0; i < count; i++) last = await publish(nc, `results.${execId}-${i}`, resultPayload({ exec_id: execId }))
  return last
}

const offsetOf = (db: ReturnType<typeof setup>['db']) =>
  (db.prepare("SELECT last_seq FROM projector_offsets WHERE projector = 'results'").get() as { last_seq: number } | undefined)?.last_seq ?? 0

describe('stream runner', () => {
  it('a crash between commit and ack (connection closed) applies every message exactly once', async () => {
    const s = setup()
    await publishResults(s.execId, 20)
    const doomed = await nats.client()
    let crashed = false
    const first = track(
      runnerFor(doomed, s.env, R, {
        prefix: s.prefix,
        maxBatch: 8,
        hooks: {
          afterCommit: async () => {
            if (crashed) return
            crashed = true
            await doomed.close() // the commit is in; the acks never leave
          },
        },
      }),
    )
    first.start()
    await waitFor(() => crashed && first.status().state === 'stopped', 'the first runner to lose its connection')
    expect(s.counts().s).toBeGreaterThan(0)
    // Committed but never acked: the broker still waits for those acks.
    const before = await (await nc.jetstreamManager()).consumers.info('RESULTS', first.consumer)
    expect(before.num_ack_pending).toBeGreaterThan(0)

    const last = await publishResults(s.execId, 5)
    const second = track(runnerFor(nc, s.env, R, { prefix: s.prefix }))
    second.start()
    await waitFor(() => offsetOf(s.db) === last, 'the second runner to catch up')
    expect(s.counts()).toEqual({ s: 25, f: 0 })
    expect(s.rows()).toBe(25)
    const info = await (await nc.jetstreamManager()).consumers.info('RESULTS', second.consumer)
    expect(info.num_ack_pending).toBe(0)
  })

  it('a lost ack is redelivered and skipped by the offset (no double count)', async () => {
    const s = setup()
    const log = new OutcomeLog()
    const lost = new Set<number>()
    const r = track(
      runnerFor(nc, s.env, R, { prefix: s.prefix, hooks: log.hooks({ loseAck: (m) => m.deliveries === 1 && lost.has(m.seq) }) }),
    )
    r.start()
    const seq = await publish(nc, `results.${s.execId}`, resultPayload({ exec_id: s.execId }))
    lost.add(seq)
    await waitFor(() => log.final('RESULTS', seq).length === 2, 'the redelivery')
    expect(log.final('RESULTS', seq).map((x) => [x.msg.deliveries, x.outcome.kind])).toEqual([
      [1, 'applied'],
      [2, 'skipped'],
    ])
    expect(s.counts()).toEqual({ s: 1, f: 0 })
  })

  it('restart resumes from the stored offset: no gap, no duplicate, consumer reused', async () => {
    const s = setup()
    await publishResults(s.execId, 30)
    const jsm = await nc.jetstreamManager()
    const a = runnerFor(nc, s.env, R, { prefix: s.prefix, maxBatch: 7 })
    a.start()
    await waitFor(() => s.counts().s === 30, 'the first 30')
    await a.stop()
    const created = (await jsm.consumers.info('RESULTS', a.consumer)).created

    const last = await publishResults(s.execId, 30)
    const b = track(runnerFor(nc, s.env, R, { prefix: s.prefix, maxBatch: 7 }))
    b.start()
    await waitFor(() => offsetOf(s.db) === last, 'the next 30')
    expect(s.counts()).toEqual({ s: 60, f: 0 })
    expect(s.rows()).toBe(60)
    expect((await jsm.consumers.info('RESULTS', b.consumer)).created).toBe(created)
  })

  it('a wiped database with an existing consumer rebuilds the projection from the stream', async () => {
    const s = setup()
    const first = await publishResults(s.execId, 10)
    const a = runnerFor(nc, s.env, R, { prefix: s.prefix })
    a.start()
    await waitFor(() => offsetOf(s.db) === first, 'the first projection')
    await a.stop()

    const fresh = setup() // new, empty database; same consumer name as before
    fresh.db.prepare('UPDATE executions SET exec_id = ?').run(s.execId)
    const b = track(runnerFor(nc, fresh.env, R, { prefix: s.prefix }))
    b.start()
    await waitFor(() => offsetOf(fresh.db) === first, 'the rebuilt projection')
    expect((fresh.db.prepare('SELECT success_count AS s FROM executions').get() as { s: number }).s).toBe(10)
  })

  it('SQLITE_BUSY keeps the batch (state retrying), then applies it; nothing is dead-lettered', async () => {
    const s = setup()
    const mine = openDatabase(s.path, { busyTimeoutMs: 1 })
    undo.push(() => closeDatabase(mine))
    const other = openDatabase(s.path)
    undo.push(() => closeDatabase(other))
    const r = track(runnerFor(nc, { ...s.env, db: mine }, R, { prefix: s.prefix }))
    other.exec('BEGIN IMMEDIATE')
    r.start()
    const last = await publishResults(s.execId, 5)
    await waitFor(() => r.status().state === 'retrying', 'the busy retry')
    expect(r.status().last_error).toMatch(/locked|busy/i)
    other.exec('COMMIT')
    await waitFor(() => offsetOf(s.db) === last, 'the batch after the lock')
    expect(s.counts()).toEqual({ s: 5, f: 0 })
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM dead_letters').get()).toEqual({ n: 0 })
    expect(r.status()).toMatchObject({ state: 'running', last_error: null })
  })

  it('a deleted consumer is recreated and projection resumes', async () => {
    const s = setup()
    const r = track(runnerFor(nc, s.env, R, { prefix: s.prefix }))
    r.start()
    const first = await publishResults(s.execId, 3)
    await waitFor(() => offsetOf(s.db) === first, 'the first messages')
    const jsm = await nc.jetstreamManager()
    await jsm.consumers.delete('RESULTS', r.consumer)
    await waitFor(async () => {
      try {
        await jsm.consumers.info('RESULTS', r.consumer)
        return r.status().state === 'running'
      } catch {
        return false
      }
    }, 'the consumer to be recreated')
    const last = await publishResults(s.execId, 3)
    await waitFor(() => offsetOf(s.db) === last, 'messages after the recreation')
    expect(s.counts()).toEqual({ s: 6, f: 0 })
  })

  it('Q19: a loop that dies restarts with backoff, reports the error, and applies everything once', async () => {
    const s = setup()
    let failures = 0
    const states: string[] = []
    const r = track(
      runnerFor(nc, s.env, R, {
        prefix: s.prefix,
        hooks: {
          afterCommit: () => {
            if (failures++ === 0) throw new Error('disk on fire')
          },
        },
      }),
    )
    r.onStatusChange = () => states.push(r.status().state)
    r.start()
    await publishResults(s.execId, 4)
    await waitFor(() => states.includes('restarting'), 'the failed loop to restart')
    expect(r.status().last_error).toBe('disk on fire')
    // The restarted loop projects what was not committed and what comes next, each once.
    const last = await publishResults(s.execId, 2)
    await waitFor(() => offsetOf(s.db) === last && r.status().state === 'running', 'recovery')
    expect(failures).toBeGreaterThan(1)
    expect(s.counts()).toEqual({ s: 6, f: 0 })
    const info = await (await nc.jetstreamManager()).consumers.info('RESULTS', r.consumer)
    await waitFor(async () => (await (await nc.jetstreamManager()).consumers.info('RESULTS', r.consumer)).num_ack_pending === 0, 'acks')
    expect(info.num_pending).toBe(0)
  })

  it('malformed JSON and schema-invalid payloads land in dead_letters and the next good message projects', async () => {
    const s = setup()
    const r = track(runnerFor(nc, s.env, R, { prefix: s.prefix }))
    r.start()
    const bad1 = await publish(nc, `results.${s.execId}-bad1`, '{"request_id": 4')
    const bad2 = await publish(nc, `results.${s.execId}-bad2`, { request_id: 'x', pc_id: 'p', exit_code: 'zero' })
    const good = await publish(nc, `results.${s.execId}-good`, resultPayload({ exec_id: s.execId }))
    await waitFor(() => offsetOf(s.db) === good, 'the good message')
    const dl = s.db.prepare('SELECT stream, stream_seq, subject, deliveries FROM dead_letters ORDER BY stream_seq').all()
    expect(dl).toEqual([
      { stream: 'RESULTS', stream_seq: bad1, subject: `results.${s.execId}-bad1`, deliveries: 1 },
      { stream: 'RESULTS', stream_seq: bad2, subject: `results.${s.execId}-bad2`, deliveries: 1 },
    ])
    expect(s.counts()).toEqual({ s: 1, f: 0 })
    expect(r.status().dead_letters).toBe(2)
  })

  it('prefix backend takes over kanade-backend\'s durable: an imported database resumes from its ack floor', async () => {
    const s = setup()
    const jsm = await nc.jetstreamManager()
    // kanade-backend 0.30's durable: pull, explicit ack, no filter, everything else default.
    await jsm.consumers.add('AUDIT', { durable_name: 'backend_audit_projector', ack_policy: AckPolicy.Explicit })
    undo.push(async () => void (await jsm.consumers.delete('AUDIT', 'backend_audit_projector').catch(() => {})))
    const seqs: number[] = []
    for (let i = 1; i <= 5; i++) {
      seqs.push(await publish(nc, `audit.operator.exec.job${i}`, { actor: 'operator', action: 'exec', target: `job${i}`, payload: { i }, occurred_at: '2026-05-20T12:00:00Z' }))
    }
    // kanade applied (and acked) the first three into its database, which the console imported.
    const kanade = await nc.jetstream().consumers.get('AUDIT', 'backend_audit_projector')
    const first = await kanade.fetch({ max_messages: 3, expires: 2000 })
    for await (const m of first) await m.ackAck()
    const ins = s.db.prepare("INSERT INTO audit_log (actor, action, target, payload, occurred_at) VALUES ('operator', 'exec', ?, '{}', '2026-05-20 12:00:00')")
    for (let i = 1; i <= 3; i++) ins.run(`job${i}`)

    const r = track(runnerFor(nc, s.env, auditProjector as StreamProjector, { prefix: 'backend' }))
    expect(r.consumer).toBe('backend_audit_projector')
    r.start()
    await waitFor(() => (s.db.prepare("SELECT last_seq FROM projector_offsets WHERE projector = 'audit'").get() as { last_seq: number } | undefined)?.last_seq === seqs[4], 'the takeover')
    expect(s.db.prepare('SELECT target, stream_seq FROM audit_log ORDER BY id').all()).toEqual([
      { target: 'job1', stream_seq: null },
      { target: 'job2', stream_seq: null },
      { target: 'job3', stream_seq: null },
      { target: 'job4', stream_seq: seqs[3] },
      { target: 'job5', stream_seq: seqs[4] },
    ])
    expect((await jsm.consumers.info('AUDIT', 'backend_audit_projector')).config.max_deliver).toBe(10)
  })
})
