import { i18n } from '../i18n'

// Locale-aware formatting of numbers, times and durations (in the admin's local time zone).

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>()
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  const k = `${i18n.language}|${key}`
  let f = cache.get(k)
  if (!f) {
    f = make()
    cache.set(k, f)
  }
  return f as T
}

export function fmtNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  return cached('n', () => new Intl.NumberFormat(i18n.language)).format(n)
}

export function fmtPercent(part: number, whole: number): string {
  if (!whole) return '—'
  return cached('pct', () => new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 })).format(part / whole)
}

export function toMs(ts: string | null | undefined): number | null {
  if (!ts) return null
  const ms = Date.parse(ts.includes('T') ? ts : ts.replace(' ', 'T') + 'Z')
  return Number.isNaN(ms) ? null : ms
}

export function fmtDateTime(ts: string | number | null | undefined, opts: { seconds?: boolean; zone?: string } = {}): string {
  const ms = typeof ts === 'number' ? ts : toMs(ts)
  if (ms === null) return '—'
  const key = `dt|${opts.seconds ? 's' : ''}|${opts.zone ?? ''}`
  return cached(key, () =>
    new Intl.DateTimeFormat(i18n.language, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: opts.seconds ? '2-digit' : undefined,
      hour12: false,
      timeZone: opts.zone,
    }),
  ).format(ms)
}

export function fmtTime(ms: number): string {
  return cached('t', () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', hour12: false })).format(ms)
}

/** "3 min ago", "in 2 h" relative to `now`. */
export function fmtRelative(ts: string | number | null | undefined, now: number): string {
  const ms = typeof ts === 'number' ? ts : toMs(ts)
  if (ms === null) return '—'
  const diff = (ms - now) / 1000
  const abs = Math.abs(diff)
  const rtf = cached('rel', () => new Intl.RelativeTimeFormat(i18n.language, { numeric: 'auto', style: 'short' }))
  if (abs < 10) return i18n.t('time.justNow')
  if (abs < 60) return rtf.format(Math.round(diff), 'second')
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour')
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), 'day')
  return fmtDateTime(ms)
}

/** 850 ms, 12.4 s, 3 min 5 s, 2 h 10 min. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  const ja = i18n.language === 'ja'
  if (ms < 1000) return ja ? `${Math.round(ms)} ミリ秒` : `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return ja ? `${s.toFixed(s < 10 ? 1 : 0)} 秒` : `${s.toFixed(s < 10 ? 1 : 0)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return ja ? `${m} 分 ${Math.round(s % 60)} 秒` : `${m} min ${Math.round(s % 60)} s`
  const h = Math.floor(m / 60)
  return ja ? `${h} 時間 ${m % 60} 分` : `${h} h ${m % 60} min`
}

export function durationBetween(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = toMs(a)
  const y = toMs(b)
  return x === null || y === null ? null : y - x
}

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
