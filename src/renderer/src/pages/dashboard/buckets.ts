import type { ResultsHistogram } from '@shared/api/results'

// The dashboard chart's window and rows. The counting itself is the server's
// (GET /api/results/histogram); the page only asks for the last 24 whole hours.

export const HOUR = 3_600_000
export const CHART_HOURS = 24

export interface HourBucket {
  start: number
  success: number
  failure: number
  running: number
}

/** The last 24 hours, the current one included, on hour boundaries (stable within an hour, so
 *  the query key and its cache are too). */
export function chartWindow(now: number, hours = CHART_HOURS): { since: string; until: string } {
  const end = Math.floor(now / HOUR) * HOUR + HOUR
  return { since: new Date(end - hours * HOUR).toISOString(), until: new Date(end).toISOString() }
}

export function chartRows(h: Pick<ResultsHistogram, 'buckets'> | undefined): HourBucket[] {
  return (h?.buckets ?? []).map((b) => ({ start: Date.parse(b.start), success: b.success, failure: b.failure, running: b.running }))
}
