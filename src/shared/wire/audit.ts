// AuditEvent — subjects audit.<actor>.<action>[.<target>] (§4.5).
import { z } from 'zod'
import { decodeWith, presentNullable, type Optional } from './codec'
import { TimestampSchema } from './common'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export interface AuditEvent {
  actor: string
  action: string
  /** Manifest id, schedule id, KV key…; null when the action has no target. */
  target: string | null
  /** Action-specific JSON (key order not significant). */
  payload: JsonValue
  occurred_at: string
}

export type AuditEventInit = Optional<AuditEvent, 'target'>

// `target` is a "null" field with no decode default (§1.5): the key must be present.
export const AuditEventSchema: z.ZodType<AuditEvent> = z
  .object({
    actor: z.string(),
    action: z.string(),
    target: presentNullable(z.string(), 'target'),
    payload: z.custom<unknown>((v) => v !== undefined, { message: 'missing field `payload`' }).pipe(z.json()),
    occurred_at: TimestampSchema,
  })
  .transform(
    (a): AuditEvent => ({
      actor: a.actor,
      action: a.action,
      target: a.target,
      payload: a.payload as JsonValue,
      occurred_at: a.occurred_at,
    }),
  )

export function decodeAuditEvent(raw: unknown): AuditEvent {
  return decodeWith('AuditEvent', AuditEventSchema, raw)
}

/** Compact JSON in kanade's key order; `target` written as null when unset. */
export function encodeAuditEvent(event: AuditEventInit): string {
  return JSON.stringify(decodeAuditEvent({ ...event, target: event.target ?? null }))
}
