import type { Db } from '../db/open'
import { toCanonical } from '../../../shared/time'
import { onlineCutoff } from './agents'

// The database half of kanade's fleet-health rule (reference §8).

export const RESULTS_WINDOW_HOURS = 24

export function agentLiveness(db: Db, now: number): { known: number; active: number; stale: number } {
  const r = db
    .prepare('SELECT COUNT(*) AS known, COALESCE(SUM(last_seen_at >= ?), 0) AS active FROM agents')
    .get(onlineCutoff(now)) as { known: number; active: number }
  return { known: r.known, active: r.active, stale: r.known - r.active }
}

export function recentResults(db: Db, now: number): { window_hours: number; total: number; failed: number } {
  const since = toCanonical(now - RESULTS_WINDOW_HOURS * 3_600_000)
  const r = db
    .prepare(
      `SELECT COUNT(*) AS total, COALESCE(SUM(exit_code IS NOT NULL AND exit_code <> 0), 0) AS failed
         FROM execution_results WHERE recorded_at >= ?`,
    )
    .get(since) as { total: number; failed: number }
  return { window_hours: RESULTS_WINDOW_HOURS, total: r.total, failed: r.failed }
}
