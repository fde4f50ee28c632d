import type { Db } from '../db/open'
import { toCanonical } from '../../../shared/time'
import { stmt } from './ledger'

// Cleanup loop body (reference §7): executions still `pending` more than one hour after
// they were initiated become `expired`. Strict boundary: exactly one hour stays pending.
// The control plane schedules it (every 5 minutes, first run immediate).

export const PENDING_EXPIRY_MS = 60 * 60 * 1000

/** Expire stale pending executions; returns the number of rows changed. */
export function expirePendingExecutions(db: Db, nowMs: number): number {
  const cutoff = toCanonical(nowMs - PENDING_EXPIRY_MS)
  // strftime renders both kanade 0.30 shapes ("YYYY-MM-DD HH:MM:SS", "…+00:00") and ours in
  // the canonical form, so imported rows compare by instant, not by text (Q3).
  return stmt(
    db,
    `UPDATE executions SET status = 'expired'
     WHERE status = 'pending' AND COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', initiated_at), initiated_at) < ?`,
  ).run(cutoff).changes
}
