// EventStarted — subject events.started.<exec_id>.<pc_id> (§4.3).
import { z } from 'zod'
import { decodeWith } from './codec'
import { TimestampSchema } from './common'

export interface EventStarted {
  result_id: string
  request_id: string
  exec_id: string
  pc_id: string
  started_at: string
  manifest_id: string
  version: string
}

// Every field required, none nullable: the interim shape without result_id /
// request_id is rejected, as the 0.30 backend does.
export const EventStartedSchema: z.ZodType<EventStarted> = z
  .object({
    result_id: z.string(),
    request_id: z.string(),
    exec_id: z.string(),
    pc_id: z.string(),
    started_at: TimestampSchema,
    manifest_id: z.string(),
    version: z.string(),
  })
  .transform(
    (e): EventStarted => ({
      result_id: e.result_id,
      request_id: e.request_id,
      exec_id: e.exec_id,
      pc_id: e.pc_id,
      started_at: e.started_at,
      manifest_id: e.manifest_id,
      version: e.version,
    }),
  )

export function decodeEventStarted(raw: unknown): EventStarted {
  return decodeWith('EventStarted', EventStartedSchema, raw)
}

/** Compact JSON in kanade's key order (all seven keys always written). */
export function encodeEventStarted(event: EventStarted): string {
  return JSON.stringify(decodeEventStarted(event))
}
