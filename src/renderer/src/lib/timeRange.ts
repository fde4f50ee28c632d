import { useMemo } from 'react'

// Time-range filters: a preset ("24h") becomes a fixed `since` when chosen, so the query key stays
// stable while the page is open (no silent re-fetch every minute); explicit since/until win.

export const RANGES = ['1h', '24h', '7d', '30d', 'all'] as const
export type RangePreset = (typeof RANGES)[number]
const SPAN: Record<Exclude<RangePreset, 'all'>, number> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 }

export function rangeBounds(range: string, since: string, until: string, now = Date.now()): { since?: string; until?: string } {
  if (since || until) return { since: since || undefined, until: until || undefined }
  if (range in SPAN) {
    const minute = Math.floor(now / 60_000) * 60_000
    return { since: new Date(minute - SPAN[range as keyof typeof SPAN]).toISOString() }
  }
  return {}
}

export function useTimeRange(range: string, since: string, until: string) {
  return useMemo(() => rangeBounds(range, since, until), [range, since, until])
}

/** `datetime-local` input value (local time) ↔ ISO string. */
export function toLocalInput(iso: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}
export function fromLocalInput(v: string): string {
  if (!v) return ''
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString()
}
