import { toMs } from '../../lib/format'

// Results per hour for the dashboard chart.

export const HOUR = 3_600_000

export interface HourBucket {
  start: number
  success: number
  failure: number
  running: number
}

export function bucketByHour(rows: { recorded_at: string; status: string }[], now: number, hours = 24): HourBucket[] {
  const end = Math.floor(now / HOUR) * HOUR + HOUR
  const first = end - hours * HOUR
  const buckets: HourBucket[] = Array.from({ length: hours }, (_, i) => ({ start: first + i * HOUR, success: 0, failure: 0, running: 0 }))
  for (const r of rows) {
    const ms = toMs(r.recorded_at)
    if (ms === null || ms < first || ms >= end) continue
    const b = buckets[Math.floor((ms - first) / HOUR)]
    if (r.status === 'success') b.success++
    else if (r.status === 'failure') b.failure++
    else b.running++
  }
  return buckets
}
