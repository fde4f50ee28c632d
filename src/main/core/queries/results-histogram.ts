import { badRequest } from '../../../shared/api/errors'
import type { ResultsHistogram } from '../../../shared/api/results'
import { parseTimestamp, toCanonical } from '../../../shared/time'
import type { Db } from '../db/open'

// The dashboard chart: results per time bucket, counted by SQLite (GROUP BY on the bucket of
// recorded_at) instead of shipping thousands of rows to the page. Buckets start at multiples
// of their width since the epoch; `since` is rounded down and `until` up to those boundaries.
// Status as everywhere (queries/results.ts resultStatus): running until finished with an exit
// code, then success for 0 and failure otherwise.

export const DEFAULT_HISTOGRAM_SPAN_MS = 24 * 3_600_000
export const MAX_HISTOGRAM_BUCKETS = 2000

export interface HistogramRange {
  since?: string
  until?: string
  bucketSecs: number
}

export function resultsHistogram(db: Db, q: HistogramRange, nowMs: number): ResultsHistogram {
  const w = q.bucketSecs * 1000
  // Default: the 24 hours up to the end of the current bucket (the current one included).
  const untilRaw = q.until ? parseTimestamp(q.until)! : Math.floor(nowMs / w) * w + w
  const sinceRaw = q.since ? parseTimestamp(q.since)! : untilRaw - DEFAULT_HISTOGRAM_SPAN_MS
  if (sinceRaw >= untilRaw) throw badRequest(`query.since (${toCanonical(sinceRaw)}) must be before query.until (${toCanonical(untilRaw)})`)
  const first = Math.floor(sinceRaw / w) * w
  const end = Math.ceil(untilRaw / w) * w
  const count = Math.max(1, (end - first) / w)
  if (count > MAX_HISTOGRAM_BUCKETS) {
    throw badRequest(`query.bucket: ${count} buckets from since to until; at most ${MAX_HISTOGRAM_BUCKETS} (use a wider bucket or a shorter range)`)
  }
  const rows = db
    .prepare(
      // JS numbers bind as REAL: cast so the division is an integer one (the bucket index).
      `SELECT (CAST(strftime('%s', recorded_at) AS INTEGER) - CAST(@first AS INTEGER)) / CAST(@width AS INTEGER) AS b,
              SUM(finished_at IS NOT NULL AND exit_code = 0) AS success,
              SUM(finished_at IS NOT NULL AND exit_code IS NOT NULL AND exit_code <> 0) AS failure,
              SUM(finished_at IS NULL OR exit_code IS NULL) AS running
         FROM execution_results
        WHERE recorded_at >= @since AND recorded_at < @until
        GROUP BY b`,
    )
    .all({ first: first / 1000, width: q.bucketSecs, since: toCanonical(first), until: toCanonical(end) }) as {
    b: number | null
    success: number
    failure: number
    running: number
  }[]
  const buckets = Array.from({ length: count }, (_, i) => ({ start: toCanonical(first + i * w), success: 0, failure: 0, running: 0 }))
  let total = 0
  for (const r of rows) {
    const b = r.b === null ? undefined : buckets[r.b]
    if (!b) continue // a recorded_at SQLite cannot read as a date
    b.success += r.success
    b.failure += r.failure
    b.running += r.running
    total += r.success + r.failure + r.running
  }
  return { since: toCanonical(first), until: toCanonical(end), bucket_secs: q.bucketSecs, buckets, total }
}
