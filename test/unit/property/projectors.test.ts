// Bad input on every projected subject, property-based (issue 10): batches of real messages,
// mutated messages and random bytes go through the projectors' apply path on a real SQLite
// database. Nothing throws out of it, and every message ends as a row or a dead letter
// (with one delivery allowed, a failing apply is dead-lettered at once), never dropped.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { closeDatabase, openDatabase, type Db } from '../../../src/main/core/db/open'
import { migrate } from '../../../src/main/core/db/migrate'
import { silentLogger } from '../../../src/main/core/log'
import {
  applyAll,
  applyHeartbeats,
  auditProjector,
  eventsStartedProjector,
  inventoryProjector,
  ManifestCache,
  resultsProjector,
  type ApplyEnv,
  type IncomingMessage,
  type StreamProjector,
} from '../../../src/main/core/projectors'
import { resultRowKey } from '../../../src/main/core/projectors/legacy-id'
import { decodeHeartbeat, decodeJsonBody, tryDecode } from '../../../src/shared/wire'
import { wireVectors } from '../wire/fixtures'
import { mutatedJson, mutatedText, RUNS } from './arbitraries'

const enc = new TextEncoder()
const vectors = wireVectors()
const seeds = (prefix: string) => vectors.filter((v) => v.name.startsWith(prefix) && v.encoding === 'json')
const EXEC_IDS = [
  ...new Set(seeds('exec-result/').map((v) => (v.payload as { exec_id?: string }).exec_id).filter((x): x is string => !!x)),
]
const RUNS_HERE = Math.max(20, Math.floor(RUNS / 3))

function freshDb(): Db {
  const db = openDatabase(':memory:')
  migrate(db)
  // Exec rows the fixture results count into.
  const ins = db.prepare(
    `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count) VALUES (?, 'cleanup', '1.0.0', 'operator', ?, 3)`,
  )
  for (const id of EXEC_IDS) ins.run(id, '2026-05-20T12:00:00.000Z')
  return db
}

const manifests = ManifestCache.of(
  Object.fromEntries(seeds('manifest/').map((v) => [(v.payload as { id: string }).id, v.payload])),
  silentLogger,
)
const envFor = (db: Db): ApplyEnv => ({ db, now: () => Date.parse('2026-05-20T12:00:00Z'), manifests, log: silentLogger })

/** A message body: a real message, a mutated one, a mutated text of one, or random bytes. */
function bodies(prefix: string): fc.Arbitrary<Uint8Array> {
  const base = seeds(prefix).map((v) => v.payload)
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...base).map((p) => enc.encode(JSON.stringify(p))) },
    { weight: 4, arbitrary: mutatedJson(base).map((p) => enc.encode(JSON.stringify(p) ?? 'undefined')) },
    { weight: 2, arbitrary: mutatedText(base.map((p) => JSON.stringify(p))).map((t) => enc.encode(t)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
  )
}

interface Case {
  projector: StreamProjector
  prefix: string
  subjects: fc.Arbitrary<string>
  /** Is the row this applied message wrote there? */
  rowExists(db: Db, m: IncomingMessage, decoded: unknown): boolean
}

const hasRow = (db: Db, sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) !== undefined

const cases: Case[] = [
  {
    projector: resultsProjector as StreamProjector,
    prefix: 'exec-result/',
    subjects: fc.constantFrom('results.req-1', 'results.x'),
    rowExists: (db, _m, r) =>
      hasRow(db, 'SELECT 1 FROM execution_results WHERE result_id = ?', resultRowKey(r as { result_id: string; request_id: string; pc_id: string })),
  },
  {
    projector: eventsStartedProjector as StreamProjector,
    prefix: 'event-started/',
    subjects: fc.constantFrom('events.started.e.pc', 'events.started.x.y'),
    rowExists: (db, _m, e) => hasRow(db, 'SELECT 1 FROM execution_results WHERE result_id = ?', (e as { result_id: string }).result_id),
  },
  {
    projector: auditProjector as StreamProjector,
    prefix: 'audit/',
    subjects: fc.constantFrom('audit.operator.exec.job', 'audit.x.y'),
    rowExists: (db, m) => hasRow(db, 'SELECT 1 FROM audit_log WHERE stream_seq = ?', m.seq),
  },
  {
    projector: inventoryProjector as StreamProjector,
    prefix: 'hw-inventory/',
    subjects: fc.constantFrom('inventory.pc-01.hw', 'inventory.pc-01.sw', 'inventory.pc-01.net'),
    rowExists: (db, _m, v) =>
      hasRow(db, "SELECT 1 FROM inventory_facts WHERE pc_id = ? AND job_id = 'legacy-hw'", (v as { inv: { pc_id: string } }).inv.pc_id),
  },
]

describe.each(cases.map((c) => [c.projector.name, c] as const))('%s projector', (_name, c) => {
  it('random and mutated batches: every message a row or a dead letter, nothing thrown', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.record({ subject: c.subjects, data: bodies(c.prefix) }), { minLength: 1, maxLength: 12 }), (batch) => {
        const db = freshDb()
        try {
          const msgs: IncomingMessage[] = batch.map((b, i) => ({
            stream: c.projector.stream,
            seq: i + 1,
            subject: b.subject,
            data: b.data,
            deliveries: 1,
          }))
          const r = applyAll(envFor(db), c.projector, msgs, { maxDeliver: 1 })
          expect(r.outcomes.map((o) => o.seq)).toEqual(msgs.map((m) => m.seq))
          expect(r.lastSeq).toBe(msgs.length)
          for (const [i, o] of r.outcomes.entries()) {
            const m = msgs[i]
            if (o.kind === 'dead_letter') {
              const dl = db.prepare('SELECT error FROM dead_letters WHERE projector = ? AND stream_seq = ?').get(c.projector.name, m.seq) as
                | { error: string }
                | undefined
              expect(dl?.error, `dead letter of seq ${m.seq}`).toBeTruthy()
            } else {
              expect(['applied', 'unchanged'], `outcome of seq ${m.seq}: ${JSON.stringify(o)}`).toContain(o.kind)
              expect(c.rowExists(db, m, c.projector.decode(m)), `row of seq ${m.seq}`).toBe(true)
            }
          }
          // Nothing lingers owed: one delivery allowed, so each was applied or dead-lettered.
          expect(db.prepare('SELECT count(*) FROM projector_retries').pluck().get()).toBe(0)
        } finally {
          closeDatabase(db)
        }
      }),
      { numRuns: RUNS_HERE },
    )
  })
})

describe('heartbeat projector', () => {
  it('random and mutated beats: what decodes is an agents row, the rest dead letters', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.array(bodies('heartbeat/'), { minLength: 1, maxLength: 12 }), (datas) => {
        const db = freshDb()
        try {
          const beats = datas.map((data, i) => ({ subject: `heartbeat.pc-${i}`, data, receivedAt: Date.parse('2026-05-20T12:00:00Z') + i }))
          applyHeartbeats(envFor(db), beats)
          const decoded = beats.map((b) => tryDecode((raw) => decodeJsonBody('Heartbeat', decodeHeartbeat, raw as Uint8Array), b.data))
          const pcs = new Set(decoded.flatMap((d) => (d.ok ? [d.value.pc_id] : [])))
          expect(new Set(db.prepare('SELECT pc_id FROM agents').pluck().all())).toEqual(pcs)
          const dead = Number(db.prepare("SELECT count(*) FROM dead_letters WHERE projector = 'heartbeats'").pluck().get())
          expect(dead).toBe(decoded.filter((d) => !d.ok).length)
        } finally {
          closeDatabase(db)
        }
      }),
      { numRuns: RUNS_HERE },
    )
  })
})
