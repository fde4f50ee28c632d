// Text the way a kanade 0.30 agent (Rust: chrono, humantime) writes it.

/** RFC 3339 UTC with the 9 fractional digits chrono writes, as Windows agents send them
 *  (100 ns resolution, so the last two digits are 00). The sub-millisecond digits are
 *  derived from the millisecond value, so one instant always renders the same way.
 *  Whole seconds are written without a fraction, as chrono does. */
export function agentTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString() // 2026-05-20T12:00:00.312Z
  const sub = ms % 1000
  if (sub === 0) return iso.slice(0, 19) + 'Z'
  const extra = String((Math.imul(ms % 1_000_000, 2654435761) >>> 0) % 10_000).padStart(4, '0')
  return `${iso.slice(0, 23)}${extra}00Z`
}

/** chrono's Display of a DateTime<Utc>: `2026-05-18 09:30:00 UTC` (fraction when non-zero). */
export function chronoDisplay(ms: number): string {
  const iso = new Date(ms).toISOString()
  const frac = ms % 1000 === 0 ? '' : iso.slice(19, 23)
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} UTC`
}

/** humantime's format_duration, truncated to whole seconds: `3h 2m 5s`, `2days 1h`, `0s`. */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever'
  let secs = Math.max(0, Math.floor(ms / 1000))
  if (secs === 0) return '0s'
  const parts: string[] = []
  const days = Math.floor(secs / 86_400)
  secs -= days * 86_400
  if (days) parts.push(`${days}day${days === 1 ? '' : 's'}`)
  const h = Math.floor(secs / 3_600)
  secs -= h * 3_600
  if (h) parts.push(`${h}h`)
  const m = Math.floor(secs / 60)
  secs -= m * 60
  if (m) parts.push(`${m}m`)
  if (secs) parts.push(`${secs}s`)
  return parts.join(' ')
}
