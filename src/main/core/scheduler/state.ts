import { parseTimestamp, toCanonical } from '../../../shared/time'
import type { Db } from '../db/open'

// SQLite side of the scheduler (table schedule_state, migration 0005). A tick is CLAIMED
// (last_tick_at moved forward in one UPDATE) before anything is dispatched: a crash after the
// claim loses that one fire instead of repeating it, and two callers racing for the same tick
// (node-schedule and the start-up catch-up) cannot both win.

export type TickOutcome =
  | 'dispatching'
  | 'fired'
  | 'skipped'
  | 'job_missing'
  | 'failed'
  | 'misfire_fired'
  | 'misfire_skipped'
  | 'interrupted'

export interface ScheduleStateRow {
  schedule_id: string
  registered_at: string | null
  last_tick_at: string | null
  last_outcome: TickOutcome | null
  last_message: string | null
  last_fire_at: string | null
  last_exec_id: string | null
  invalid_reason: string | null
  updated_at: string
}

export function readState(db: Db, id: string): ScheduleStateRow | null {
  return (db.prepare('SELECT * FROM schedule_state WHERE schedule_id = ?').get(id) as ScheduleStateRow | undefined) ?? null
}

export function readAllStates(db: Db): ScheduleStateRow[] {
  return db.prepare('SELECT * FROM schedule_state ORDER BY schedule_id').all() as ScheduleStateRow[]
}

/** Make sure a row exists; a new row is armed at `nowMs` (ticks before it are not missed). */
export function ensureState(db: Db, id: string, nowMs: number): void {
  const now = toCanonical(nowMs)
  db.prepare(
    `INSERT INTO schedule_state (schedule_id, registered_at, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (schedule_id) DO NOTHING`,
  ).run(id, now, now)
}

/** A live edit (re)armed the schedule: ticks before now are not "missed" at the next start. */
export function rearm(db: Db, id: string, nowMs: number): void {
  ensureState(db, id, nowMs)
  const now = toCanonical(nowMs)
  db.prepare('UPDATE schedule_state SET registered_at = ?, updated_at = ? WHERE schedule_id = ?').run(now, now, id)
}

/** Record (or clear, with null) why the schedule cannot be registered. Returns true if it changed. */
export function setInvalid(db: Db, id: string, reason: string | null, nowMs: number): boolean {
  ensureState(db, id, nowMs)
  const r = db
    .prepare(
      `UPDATE schedule_state SET invalid_reason = ?, updated_at = ?
       WHERE schedule_id = ? AND invalid_reason IS NOT ?`,
    )
    .run(reason, toCanonical(nowMs), id, reason)
  return r.changes > 0
}

/**
 * Claim `tickMs` for dispatch: succeeds only if no later-or-equal tick was handled. The row
 * then says `dispatching` until recordOutcome. Returns false for a tick already handled.
 */
export function claimTick(db: Db, id: string, tickMs: number, nowMs: number, outcome: TickOutcome = 'dispatching'): boolean {
  ensureState(db, id, nowMs)
  const tick = toCanonical(tickMs)
  const r = db
    .prepare(
      `UPDATE schedule_state SET last_tick_at = ?, last_outcome = ?, last_message = NULL, updated_at = ?
       WHERE schedule_id = ? AND (last_tick_at IS NULL OR last_tick_at < ?)`,
    )
    .run(tick, outcome, toCanonical(nowMs), id, tick)
  return r.changes > 0
}

/** What happened to the claimed tick; `execId` marks it as the schedule's last fire. */
export function recordOutcome(
  db: Db,
  id: string,
  tickMs: number,
  outcome: TickOutcome,
  message: string | null,
  nowMs: number,
  execId: string | null = null,
): void {
  const tick = toCanonical(tickMs)
  // Only the claimed tick's row is updated: a later tick may already have been claimed.
  db.prepare(
    `UPDATE schedule_state SET last_outcome = ?, last_message = ?, updated_at = ?,
       last_fire_at = CASE WHEN ? IS NOT NULL THEN last_tick_at ELSE last_fire_at END,
       last_exec_id = COALESCE(?, last_exec_id)
     WHERE schedule_id = ? AND last_tick_at = ?`,
  ).run(outcome, message, toCanonical(nowMs), execId, execId, id, tick)
}

/** At start: ticks left `dispatching` by a console that stopped mid-dispatch are not repeated. */
export function markInterrupted(db: Db, nowMs: number): string[] {
  const ids = (
    db.prepare(`SELECT schedule_id FROM schedule_state WHERE last_outcome = 'dispatching'`).all() as { schedule_id: string }[]
  ).map((r) => r.schedule_id)
  db.prepare(
    `UPDATE schedule_state SET last_outcome = 'interrupted', updated_at = ?,
       last_message = 'the console stopped while this tick was being dispatched; it is not repeated (some Commands may have gone out)'
     WHERE last_outcome = 'dispatching'`,
  ).run(toCanonical(nowMs))
  return ids
}

export function deleteState(db: Db, id: string): void {
  db.prepare('DELETE FROM schedule_state WHERE schedule_id = ?').run(id)
}

/** The instant catch-up counts missed ticks from: the last handled tick or the arming time,
 *  whichever is later; null when the schedule has no history. */
export function catchUpBaseline(row: ScheduleStateRow | null): number | null {
  if (!row) return null
  const tick = row.last_tick_at ? parseTimestamp(row.last_tick_at) : null
  const armed = row.registered_at ? parseTimestamp(row.registered_at) : null
  if (tick === null) return armed
  if (armed === null) return tick
  return Math.max(tick, armed)
}
