import { z } from 'zod'
import { op, Paging, queryBool, sortQuery } from './op'

// Agents (read side): kanade 0.30's AgentRow plus the console's liveness fields.
// Group membership lives in KV agent_groups and is read only when asked for (group filter,
// include_groups), so the plain roster never needs the broker.

export const PcIdParams = z.object({ pc_id: z.string().min(1).max(255) })

export const AgentRow = z.object({
  pc_id: z.string(),
  hostname: z.string().nullable(),
  os_family: z.string().nullable(),
  agent_version: z.string().nullable(),
  /** The agent's own `at` of its latest heartbeat. */
  last_heartbeat: z.string().nullable(),
  updated_at: z.string().nullable(),
  /** Console receive time of the latest heartbeat (liveness is judged on it). */
  last_seen_at: z.string().nullable(),
  /** A heartbeat was received within the last 2 minutes. */
  online: z.boolean(),
  /** Agent clock minus console clock at the latest heartbeat (ms), null when unknown. */
  clock_skew_ms: z.number().nullable(),
  /** Groups from KV agent_groups, present only with `include_groups=true`. */
  groups: z.array(z.string()).optional(),
})
export type AgentRow = z.infer<typeof AgentRow>

export const AGENT_SORT = [
  'pc_id',
  'hostname',
  'os_family',
  'agent_version',
  'last_heartbeat',
  'last_seen_at',
  'updated_at',
] as const

export const AgentListQuery = z.object({
  /** Substring of pc_id or hostname (case-insensitive). */
  q: z.string().max(200).optional(),
  status: z.enum(['online', 'offline']).optional(),
  /** Exact agent_version. */
  version: z.string().max(100).optional(),
  /** Member of this group (KV agent_groups; needs the broker). */
  group: z.string().min(1).max(255).optional(),
  include_groups: queryBool.optional(),
  sort: sortQuery(AGENT_SORT).default('-updated_at'),
  /** kanade returns every agent: no limit unless one is given. */
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  offset: Paging.offset,
})

export const agentsOps = {
  listAgents: op({
    method: 'GET',
    path: '/api/agents',
    summary: 'Agents with liveness; X-Online-Count / X-Offline-Count count the filtered set regardless of `status`',
    query: AgentListQuery,
    response: AgentRow,
    list: true,
    counts: ['online', 'offline'],
  }),
  getAgent: op({
    method: 'GET',
    path: '/api/agents/:pc_id',
    summary: 'One agent',
    params: PcIdParams,
    query: z.object({ include_groups: queryBool.optional() }),
    response: AgentRow,
  }),
} as const
