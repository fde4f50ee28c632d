import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { toMs } from '../../lib/format'

// The 2-minute rule is judged by the server (its receive time, `online`). No event is sent when
// a PC simply goes quiet, and heartbeats that change nothing are not pushed either, so the page
// cannot age rows itself: instead it re-reads the roster at the moment the first online row
// could expire (its last_seen_at + 2 min). That is one read per expiry, not a polling loop.

export const ONLINE_WINDOW_MS = 120_000

export function isOnline(row: { online: boolean }): boolean {
  return row.online
}

/** When the earliest online row would cross the 2-minute line (ms since epoch), or null. */
export function nextExpiry(rows: readonly { online: boolean; last_seen_at: string | null }[]): number | null {
  let min = Infinity
  for (const r of rows) {
    if (!r.online) continue
    const seen = toMs(r.last_seen_at)
    if (seen !== null && seen < min) min = seen
  }
  return Number.isFinite(min) ? min + ONLINE_WINDOW_MS : null
}

export function useLivenessRefresh(rows: readonly { online: boolean; last_seen_at: string | null }[] | undefined): void {
  const qc = useQueryClient()
  const at = rows ? nextExpiry(rows) : null
  useEffect(() => {
    if (at === null) return
    // A second of slack so the server's cutoff has passed too.
    const delay = Math.max(1_000, at - Date.now() + 1_000)
    const h = setTimeout(() => {
      void qc.invalidateQueries({ queryKey: ['agents'] })
      void qc.invalidateQueries({ queryKey: ['health'] })
    }, delay)
    return () => clearTimeout(h)
  }, [at, qc])
}

/** Clock skew worth flagging (agent clock vs console clock). */
export const SKEW_WARN_MS = 60_000
