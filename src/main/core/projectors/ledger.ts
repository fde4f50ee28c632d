import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open'
import { toCanonical } from '../../../shared/time'

// Bookkeeping tables of the projection: projector_offsets (last applied stream sequence),
// projector_retries (sequences at or below the offset still owed a retry) and dead_letters.
// All writes run inside the caller's batch transaction.

const cache = new WeakMap<Db, Map<string, Statement>>()

/** A prepared statement cached per database connection. */
export function stmt(db: Db, sql: string): Statement {
  let m = cache.get(db)
  if (!m) cache.set(db, (m = new Map()))
  let s = m.get(sql)
  if (!s) m.set(sql, (s = db.prepare(sql)))
  return s
}

export function readOffset(db: Db, projector: string): number {
  const r = stmt(db, 'SELECT last_seq FROM projector_offsets WHERE projector = ?').get(projector) as
    | { last_seq: number }
    | undefined
  return r?.last_seq ?? 0
}

/** Whether this database ever recorded an offset for the projector. */
export function hasOffset(db: Db, projector: string): boolean {
  return stmt(db, 'SELECT 1 FROM projector_offsets WHERE projector = ?').get(projector) !== undefined
}

export function writeOffset(db: Db, projector: string, stream: string, consumer: string, seq: number, nowMs: number): void {
  stmt(
    db,
    `INSERT INTO projector_offsets (projector, stream, consumer, last_seq, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(projector) DO UPDATE SET stream = excluded.stream, consumer = excluded.consumer,
       last_seq = MAX(projector_offsets.last_seq, excluded.last_seq), updated_at = excluded.updated_at`,
  ).run(projector, stream, consumer, seq, toCanonical(nowMs))
}

/** Reset after the stream was recreated (its sequences restarted below our offset). */
export function resetOffset(db: Db, projector: string): void {
  db.transaction(() => {
    stmt(db, 'UPDATE projector_offsets SET last_seq = 0 WHERE projector = ?').run(projector)
    stmt(db, 'DELETE FROM projector_retries WHERE projector = ?').run(projector)
  })()
}

export function retryAttempts(db: Db, projector: string, seq: number): number | null {
  const r = stmt(db, 'SELECT attempts FROM projector_retries WHERE projector = ? AND stream_seq = ?').get(projector, seq) as
    | { attempts: number }
    | undefined
  return r ? r.attempts : null
}

export function recordRetry(db: Db, projector: string, seq: number, subject: string, attempts: number, error: string, nowMs: number): void {
  stmt(
    db,
    `INSERT INTO projector_retries (projector, stream_seq, subject, attempts, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(projector, stream_seq) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error,
       updated_at = excluded.updated_at`,
  ).run(projector, seq, subject, attempts, error, toCanonical(nowMs))
}

export function clearRetry(db: Db, projector: string, seq: number): void {
  stmt(db, 'DELETE FROM projector_retries WHERE projector = ? AND stream_seq = ?').run(projector, seq)
}

/** Lowest owed sequence, or null when nothing is owed. */
export function lowestRetry(db: Db, projector: string): number | null {
  const r = stmt(db, 'SELECT MIN(stream_seq) AS s FROM projector_retries WHERE projector = ?').get(projector) as { s: number | null }
  return r.s
}

export interface DeadLetterInput {
  projector: string
  stream: string
  /** null for core-subscription messages (heartbeats). */
  seq: number | null
  subject: string
  payload: Uint8Array
  error: string
  deliveries: number
}

/** Store a message that can never apply; a second letter for the same sequence is ignored. */
export function writeDeadLetter(db: Db, d: DeadLetterInput, nowMs: number): boolean {
  const r = stmt(
    db,
    `INSERT INTO dead_letters (projector, stream, stream_seq, subject, payload, error, deliveries, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(projector, stream_seq) WHERE stream_seq IS NOT NULL DO NOTHING`,
  ).run(d.projector, d.stream, d.seq, d.subject, Buffer.from(d.payload), d.error, d.deliveries, toCanonical(nowMs))
  return r.changes > 0
}

export function deadLetterCount(db: Db, projector: string): number {
  const r = stmt(db, 'SELECT COUNT(*) AS n FROM dead_letters WHERE projector = ?').get(projector) as { n: number }
  return r.n
}
