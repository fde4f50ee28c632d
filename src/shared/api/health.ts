import { z } from 'zod'
import { op } from './op'

// Fleet health (kanade 0.30's rule, reference §8; liveness on the console's receive time)
// and the JetStream resource check.

export const FleetStatus = z.enum(['ok', 'unknown', 'degraded'])

export const FleetHealth = z.object({
  status: FleetStatus,
  agents: z.object({ known: z.number().int(), active: z.number().int(), stale: z.number().int() }),
  jetstream: z.object({
    all_ok: z.boolean(),
    healthy: z.number().int(),
    total: z.number().int(),
    missing: z.array(z.string()),
  }),
  recent_results: z.object({ window_hours: z.number().int(), total: z.number().int(), failed: z.number().int() }),
  observed_at: z.string(),
  /** Console addition: whether the broker could be asked (when not, every resource counts as missing). */
  nats_connected: z.boolean(),
})
export type FleetHealth = z.infer<typeof FleetHealth>

export const ResourceStatus = z.object({ name: z.string(), exists: z.boolean() })

export const JetStreamStatus = z.object({
  streams: z.array(ResourceStatus),
  kv_buckets: z.array(ResourceStatus),
  object_stores: z.array(ResourceStatus),
})

export const healthOps = {
  fleetHealth: op({
    method: 'GET',
    path: '/api/health/fleet',
    summary: 'Fleet health: 200 for ok / unknown, 503 with the same body when degraded',
    response: FleetHealth,
    httpStatus: (out) => ((out as FleetHealth).status === 'degraded' ? 503 : 200),
  }),
  jetstreamStatus: op({
    method: 'GET',
    path: '/api/jetstream/status',
    summary: 'Which of the kanade streams, KV buckets and object stores exist',
    response: JetStreamStatus,
    nats: true,
  }),
} as const
