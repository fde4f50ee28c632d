import type { Db } from '../db/open'
import type { AuditRow } from '../../../shared/api/audit'
import { jsonOrText, page, ts, Where } from './sql'

export interface AuditFilter {
  actor?: string
  action?: string
  target?: string
  since?: string
  until?: string
  limit: number
  offset: number
}

interface AuditDbRow {
  id: number
  actor: string
  action: string
  target: string | null
  payload: string | null
  occurred_at: string | null
  stream_seq: number | null
}

export function listAudit(db: Db, f: AuditFilter): { items: AuditRow[]; total: number } {
  const where = new Where()
    .when(f.actor, 'actor = ?', f.actor)
    .when(f.action, 'action = ?', f.action)
    .when(f.target, 'target = ?', f.target)
    .when(f.since, 'occurred_at >= ?', f.since)
    .when(f.until, 'occurred_at < ?', f.until)
  const { n } = db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${where.sql}`).get(...where.args) as { n: number }
  const p = page(f.limit, f.offset)
  const rows = db
    .prepare(
      `SELECT id, actor, action, target, payload, occurred_at, stream_seq FROM audit_log ${where.sql}
        ORDER BY occurred_at DESC, id DESC ${p.sql}`,
    )
    .all(...where.args, ...p.args) as AuditDbRow[]
  return {
    items: rows.map((r) => ({ ...r, payload: jsonOrText(r.payload), occurred_at: ts(r.occurred_at) })),
    total: n,
  }
}
