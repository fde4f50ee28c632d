import type { Db } from '../db/open'
import type { AgentRow } from '../../../shared/api/agents'
import { AGENT_SORT } from '../../../shared/api/agents'
import { toCanonical } from '../../../shared/time'
import { onlineWindowMs } from '../online-window'
import { likeContains, orderBy, page, ts, tsMs, Where } from './sql'

// Agents roster. Online = the console received a heartbeat within the last 2 minutes
// (CONVENTIONS.md: its own receive time `last_seen_at`, Q17; the window is online-window.ts's).

export interface AgentFilter {
  q?: string
  status?: 'online' | 'offline'
  version?: string
  /** Restrict to these pc ids (group members), when set. */
  pcIds?: string[] | null
  sort: string
  limit?: number
  offset: number
}

interface AgentDbRow {
  pc_id: string
  hostname: string | null
  os_family: string | null
  agent_version: string | null
  last_heartbeat: string | null
  updated_at: string | null
  last_seen_at: string | null
}

const COLUMNS = 'pc_id, hostname, os_family, agent_version, last_heartbeat, updated_at, last_seen_at'

export const onlineCutoff = (now: number) => toCanonical(now - onlineWindowMs())

export function toAgentRow(r: AgentDbRow, cutoff: string): AgentRow {
  const seen = tsMs(r.last_seen_at)
  const beat = tsMs(r.last_heartbeat)
  return {
    pc_id: r.pc_id,
    hostname: r.hostname,
    os_family: r.os_family,
    agent_version: r.agent_version,
    last_heartbeat: ts(r.last_heartbeat),
    updated_at: ts(r.updated_at),
    last_seen_at: ts(r.last_seen_at),
    online: r.last_seen_at !== null && r.last_seen_at >= cutoff,
    clock_skew_ms: seen !== null && beat !== null ? beat - seen : null,
  }
}

export function listAgents(
  db: Db,
  f: AgentFilter,
  now: number,
): { items: AgentRow[]; total: number; counts: { online: number; offline: number } } {
  const cutoff = onlineCutoff(now)
  const base = new Where()
    .when(f.q, `pc_id LIKE ? ESCAPE '\\' OR hostname LIKE ? ESCAPE '\\'`, likeContains(f.q ?? ''), likeContains(f.q ?? ''))
    .when(f.version, 'agent_version = ?', f.version)
  if (f.pcIds) base.add('pc_id IN (SELECT value FROM json_each(?))', JSON.stringify(f.pcIds))

  const c = db
    .prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(last_seen_at >= ?), 0) AS online FROM agents ${base.sql}`)
    .get(cutoff, ...base.args) as { n: number; online: number }
  const counts = { online: c.online, offline: c.n - c.online }

  const where = base.clone()
  if (f.status === 'online') where.add('last_seen_at >= ?', cutoff)
  if (f.status === 'offline') where.add('last_seen_at IS NULL OR last_seen_at < ?', cutoff)
  const p = page(f.limit, f.offset)
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM agents ${where.sql} ${orderBy(f.sort, AGENT_SORT, 'pc_id')} ${p.sql}`)
    .all(...where.args, ...p.args) as AgentDbRow[]
  const total = f.status ? counts[f.status] : c.n
  return { items: rows.map((r) => toAgentRow(r, cutoff)), total, counts }
}

export function getAgent(db: Db, pcId: string, now: number): AgentRow | null {
  const r = db.prepare(`SELECT ${COLUMNS} FROM agents WHERE pc_id = ?`).get(pcId) as AgentDbRow | undefined
  return r ? toAgentRow(r, onlineCutoff(now)) : null
}
