import { z } from 'zod'
import { op, type OperationDef } from './op'

// Agent config scopes in KV agent_config (routes 8–16) and the listing of every scope.

/** PUT body: the 0.30 fields; null = unset; unknown keys are dropped. */
export const ConfigScopeBody = z.object({
  target_version: z.string().nullish(),
  target_version_jitter: z.string().nullish(),
  heartbeat_interval: z.string().nullish(),
})

/** A stored scope: only the fields that are set. */
export const ConfigScopeShape = z.object({
  target_version: z.string().optional(),
  target_version_jitter: z.string().optional(),
  heartbeat_interval: z.string().optional(),
})

export const ConfigScopeRow = z.object({
  /** KV key: global, groups.<g>, pcs.<pc>. */
  key: z.string(),
  type: z.enum(['global', 'group', 'pc', 'other']),
  /** Group name or pc id; null for global. */
  name: z.string().nullable(),
  scope: ConfigScopeShape,
})

export const EffectiveConfigResponse = z.object({
  pc_id: z.string(),
  effective: z.object({
    target_version: z.string().nullable(),
    target_version_jitter: z.string(),
    heartbeat_interval: z.string(),
  }),
  warnings: z.array(z.string()),
})

const GroupParams = z.object({ name: z.string() })
const PcParams = z.object({ pc_id: z.string() })

export const configOps = {
  listConfigScopes: op({
    method: 'GET',
    path: '/api/config/scopes',
    summary: 'Every config scope in KV agent_config',
    response: ConfigScopeRow,
    list: true,
  }),
  getGlobalConfig: op({ method: 'GET', path: '/api/config', summary: 'Global config scope ({} when unset)', response: ConfigScopeShape }),
  putGlobalConfig: op({
    method: 'PUT',
    path: '/api/config',
    summary: 'Replace the global config scope',
    body: ConfigScopeBody,
    response: ConfigScopeShape,
    mutates: true,
    nats: true,
  }),
  deleteGlobalConfig: op({
    method: 'DELETE',
    path: '/api/config',
    summary: 'Remove the global config scope',
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  getGroupConfig: op({
    method: 'GET',
    path: '/api/groups/:name/config',
    summary: 'Config scope of a group ({} when unset)',
    params: GroupParams,
    response: ConfigScopeShape,
  }),
  putGroupConfig: op({
    method: 'PUT',
    path: '/api/groups/:name/config',
    summary: 'Replace the config scope of a group',
    params: GroupParams,
    body: ConfigScopeBody,
    response: ConfigScopeShape,
    mutates: true,
    nats: true,
  }),
  deleteGroupConfig: op({
    method: 'DELETE',
    path: '/api/groups/:name/config',
    summary: 'Remove the config scope of a group',
    params: GroupParams,
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  getPcConfig: op({
    method: 'GET',
    path: '/api/pcs/:pc_id/config',
    summary: 'Config scope of one PC ({} when unset)',
    params: PcParams,
    response: ConfigScopeShape,
  }),
  putPcConfig: op({
    method: 'PUT',
    path: '/api/pcs/:pc_id/config',
    summary: 'Replace the config scope of one PC',
    params: PcParams,
    body: ConfigScopeBody,
    response: ConfigScopeShape,
    mutates: true,
    nats: true,
  }),
  deletePcConfig: op({
    method: 'DELETE',
    path: '/api/pcs/:pc_id/config',
    summary: 'Remove the config scope of one PC',
    params: PcParams,
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  getEffectiveConfig: op({
    method: 'GET',
    path: '/api/agents/:pc_id/effective_config',
    summary: 'Built-in → global → groups (byte order, last wins) → pc, with conflict warnings',
    params: PcParams,
    response: EffectiveConfigResponse,
  }),
} as const satisfies Record<string, OperationDef>
