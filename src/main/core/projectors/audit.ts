import { decodeAuditEvent, decodeJsonBody, type AuditEvent } from '../../../shared/wire'
import { parseTimestamp, toCanonical } from '../../../shared/time'
import { stmt } from './ledger'
import type { StreamProjector } from './types'

// Audit projector (reference §3.5): one audit_log row per AUDIT stream message. Q4: the row
// carries the stream sequence, so a redelivered message never creates a second row.

const INSERT = `INSERT INTO audit_log (actor, action, target, payload, occurred_at, stream_seq)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT(stream_seq) WHERE stream_seq IS NOT NULL DO NOTHING`

export const auditProjector: StreamProjector<AuditEvent> = {
  name: 'audit',
  consumerSuffix: 'audit_projector',
  stream: 'AUDIT',
  // The whole stream, as kanade's own durable reads it.
  filter: null,
  hasData: (db) => stmt(db, "SELECT 1 FROM audit_log LIMIT 1").get() !== undefined,
  decode: (m) => decodeJsonBody('AuditEvent', decodeAuditEvent, m.data),
  apply(env, a, m, changes) {
    const r = stmt(env.db, INSERT).run(
      a.actor,
      a.action,
      a.target,
      JSON.stringify(a.payload),
      toCanonical(parseTimestamp(a.occurred_at)!),
      m.seq,
    )
    if (r.changes === 0) return false
    changes.auditCount++
    return true
  },
}
