import { parseTimestamp } from '../../shared/time'
import type { Db } from '../core/db/open'
import { isOnlineAt } from '../core/online-window'

// Online/offline counts for the tray and the "agent went offline" notification, read from
// the projected `agents` table with CONVENTIONS.md's rule: online = a heartbeat received by
// this console within the last 2 minutes (its own receive time, `last_seen_at`; rows
// imported from kanade-backend only have the agent's `last_heartbeat`); the window is
// core/online-window.ts's.

export interface FleetStatus {
  online: number
  offline: number
  onlineIds: Set<string>
}

export function readFleetStatus(db: Db, nowMs: number): FleetStatus {
  const rows = db.prepare('SELECT pc_id, last_seen_at, last_heartbeat FROM agents').all() as {
    pc_id: string
    last_seen_at: string | null
    last_heartbeat: string | null
  }[]
  const onlineIds = new Set<string>()
  for (const r of rows) {
    const seen = parseTimestamp(r.last_seen_at ?? r.last_heartbeat ?? '')
    if (seen !== null && isOnlineAt(seen, nowMs)) onlineIds.add(r.pc_id)
  }
  return { online: onlineIds.size, offline: rows.length - onlineIds.size, onlineIds }
}
