import { z } from 'zod'
import { op, Paging, queryTimestamp } from './op'

// Projector status and dead letters (CONVENTIONS.md): what the projection is doing and what
// it could not apply. Dead-letter payloads are shown as text when they are UTF-8, else base64.

export const ProjectorRow = z.object({
  name: z.string(),
  consumer: z.string().nullable(),
  stream: z.string().nullable(),
  last_seq: z.number().int(),
  /** Messages in the stream not yet applied (null when the projector is not running here). */
  pending: z.number().int().nullable(),
  dead_letters: z.number().int(),
  last_error: z.string().nullable(),
  /** Applied messages per second, recent average (null when not running). */
  rate: z.number().nullable(),
  /** running, starting, restarting, failed, stopped… (`stopped` when only stored offsets are known). */
  state: z.string(),
  updated_at: z.string().nullable(),
})
export type ProjectorRow = z.infer<typeof ProjectorRow>

export const DeadLetterRow = z.object({
  id: z.number().int(),
  projector: z.string(),
  stream: z.string(),
  stream_seq: z.number().int().nullable(),
  subject: z.string(),
  /** The raw payload: UTF-8 text, or base64 when it is not valid UTF-8. */
  payload: z.string(),
  payload_encoding: z.enum(['utf8', 'base64']),
  size: z.number().int(),
  error: z.string(),
  deliveries: z.number().int(),
  created_at: z.string(),
})
export type DeadLetterRow = z.infer<typeof DeadLetterRow>

export const DeadLetterListQuery = z.object({
  projector: z.string().min(1).optional(),
  /** created_at >= since */
  since: queryTimestamp.optional(),
  /** created_at < until */
  until: queryTimestamp.optional(),
  ...Paging,
})

export const projectorsOps = {
  listProjectors: op({
    method: 'GET',
    path: '/api/projectors',
    summary: 'Projector status: last applied sequence, pending, dead letters, last error, rate',
    response: ProjectorRow,
    list: true,
  }),
  listDeadLetters: op({
    method: 'GET',
    path: '/api/dead_letters',
    summary: 'Payloads the projectors could not decode or apply, newest first',
    query: DeadLetterListQuery,
    response: DeadLetterRow,
    list: true,
  }),
  getDeadLetter: op({
    method: 'GET',
    path: '/api/dead_letters/:id',
    summary: 'One dead letter',
    params: z.object({ id: z.coerce.number().int().min(1) }),
    response: DeadLetterRow,
  }),
} as const
