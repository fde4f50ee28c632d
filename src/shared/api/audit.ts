import { z } from 'zod'
import { op, Paging, queryTimestamp } from './op'

// Audit log: kanade 0.30's AuditRow plus the stream sequence it was projected from (Q4).

export const AuditRow = z.object({
  id: z.number().int(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  /** The event's payload as parsed JSON, or null. */
  payload: z.unknown(),
  occurred_at: z.string().nullable(),
  stream_seq: z.number().int().nullable(),
})
export type AuditRow = z.infer<typeof AuditRow>

export const AuditListQuery = z.object({
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  /** occurred_at >= since */
  since: queryTimestamp.optional(),
  /** occurred_at < until */
  until: queryTimestamp.optional(),
  ...Paging,
})

export const auditOps = {
  listAudit: op({
    method: 'GET',
    path: '/api/audit',
    summary: 'Audit log, newest first',
    query: AuditListQuery,
    response: AuditRow,
    list: true,
  }),
} as const
