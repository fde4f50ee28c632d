// Heartbeat — subject heartbeat.<pc_id> (§4.4). Later agents add keys; they are dropped.
import { z } from 'zod'
import { compact, decodeWith, orNull, type Optional } from './codec'
import { TimestampSchema } from './common'

export interface Heartbeat {
  pc_id: string
  /** The agent's own clock at send time. */
  at: string
  agent_version: string
  /** Null from agents older than v0.12. */
  hostname: string | null
  os_family: string | null
}

export type HeartbeatInit = Optional<Heartbeat, 'hostname' | 'os_family'>

export const HeartbeatSchema: z.ZodType<Heartbeat> = z
  .object({
    pc_id: z.string(),
    at: TimestampSchema,
    agent_version: z.string(),
    hostname: orNull(z.string()),
    os_family: orNull(z.string()),
  })
  .transform(
    (h): Heartbeat => ({
      pc_id: h.pc_id,
      at: h.at,
      agent_version: h.agent_version,
      hostname: h.hostname,
      os_family: h.os_family,
    }),
  )

export function decodeHeartbeat(raw: unknown): Heartbeat {
  return decodeWith('Heartbeat', HeartbeatSchema, raw)
}

/** Compact JSON in kanade's key order; hostname / os_family omitted when null. */
export function encodeHeartbeat(hb: HeartbeatInit): string {
  const h = decodeHeartbeat(hb)
  return JSON.stringify(
    compact({
      pc_id: h.pc_id,
      at: h.at,
      agent_version: h.agent_version,
      hostname: h.hostname ?? undefined,
      os_family: h.os_family ?? undefined,
    }),
  )
}
