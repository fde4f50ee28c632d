import { badRequest } from '../../../shared/api/errors'
import { configKey, KV as BUCKETS } from '../../../shared/nats-names'
import {
  decodeConfigScope,
  encodeConfigScope,
  resolveEffectiveConfig,
  WireDecodeError,
  type ConfigScope,
  type EffectiveConfig,
} from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import { readCatalog, readCatalogKey } from '../kv-mirror/source'
import { getRaw, putRaw } from '../nats/kv'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { parseGroups } from './membership'
import { bucket } from './nats'
import { assertDuration, assertToken } from './validate'

// Config scopes in KV agent_config: global, groups.<g>, pcs.<pc> (protocol §6). Writes are
// checked (the durations parse) and audited (Q18); reads drop keys 0.30 does not know. Reads
// go through the catalog source (KV, or the KV mirror without a broker).

export type ScopeRef = { type: 'global' } | { type: 'group'; name: string } | { type: 'pc'; name: string }

export function scopeKey(ref: ScopeRef): string {
  if (ref.type === 'global') return configKey.global
  if (ref.type === 'group') {
    assertToken(ref.name, 'group name', 'group name')
    return configKey.group(ref.name)
  }
  assertToken(ref.name, 'pc_id', 'pc id')
  return configKey.pc(ref.name)
}

function parseScope(text: string): ConfigScope {
  try {
    return decodeConfigScope(JSON.parse(text))
  } catch {
    return {} // agents ignore an undecodable scope
  }
}

export async function getScope(core: CoreServices, ref: ScopeRef): Promise<ConfigScope> {
  const key = scopeKey(ref)
  const raw = await readCatalogKey(core, BUCKETS.agentConfig, key)
  return raw ? parseScope(raw.value) : {}
}

/** Decode a PUT body: 0.30 fields only, null = unset; durations must parse. */
export function validateScope(body: unknown): ConfigScope {
  let scope: ConfigScope
  try {
    scope = decodeConfigScope(body ?? {})
  } catch (e) {
    if (e instanceof WireDecodeError) throw badRequest(e.message)
    throw e
  }
  if (scope.target_version !== undefined && !scope.target_version.trim()) {
    throw badRequest('invalid target_version: must not be blank (leave it out or null to unset)')
  }
  if (scope.target_version_jitter !== undefined) assertDuration(scope.target_version_jitter, 'target_version_jitter')
  if (scope.heartbeat_interval !== undefined) {
    const ms = assertDuration(scope.heartbeat_interval, 'heartbeat_interval')
    if (ms < 1000) throw badRequest('invalid heartbeat_interval: must be at least 1s')
  }
  return scope
}

export async function putScope(core: CoreServices, caller: Caller, ref: ScopeRef, body: unknown): Promise<ConfigScope> {
  const key = scopeKey(ref)
  const scope = validateScope(body)
  await putRaw(await bucket(core, BUCKETS.agentConfig), key, encodeConfigScope(scope))
  publishAudit(core, caller, 'config_put', key, { scope: { ...scope } })
  return scope
}

export async function deleteScope(core: CoreServices, caller: Caller, ref: ScopeRef): Promise<void> {
  const key = scopeKey(ref)
  const kv = await bucket(core, BUCKETS.agentConfig)
  const existed = (await getRaw(kv, key)) !== null
  await kv.delete(key)
  publishAudit(core, caller, 'config_delete', key, { existed })
}

export interface ScopeRow {
  key: string
  type: 'global' | 'group' | 'pc' | 'other'
  name: string | null
  scope: ConfigScope
}

export function classifyKey(key: string): Pick<ScopeRow, 'type' | 'name'> {
  if (key === configKey.global) return { type: 'global', name: null }
  if (key.startsWith('groups.')) return { type: 'group', name: key.slice('groups.'.length) }
  if (key.startsWith('pcs.')) return { type: 'pc', name: key.slice('pcs.'.length) }
  return { type: 'other', name: key }
}

export async function allScopes(core: CoreServices): Promise<ScopeRow[]> {
  const rows: ScopeRow[] = []
  for (const [key, entry] of await readCatalog(core, BUCKETS.agentConfig, { missing: 'unavailable' })) {
    rows.push({ key, ...classifyKey(key), scope: parseScope(entry.value) })
  }
  return rows
}

export interface EffectiveConfigResult {
  pc_id: string
  effective: EffectiveConfig
  warnings: string[]
}

/** kanade's layering: built-in → global → the PC's groups in byte order (last wins) → pc. */
export async function effectiveConfig(core: CoreServices, pcId: string): Promise<EffectiveConfigResult> {
  assertToken(pcId, 'pc_id', 'pc id')
  const rows = await allScopes(core)
  const groupScopes: Record<string, ConfigScope> = {}
  let global: ConfigScope | null = null
  let pc: ConfigScope | null = null
  for (const r of rows) {
    if (r.type === 'global') global = r.scope
    else if (r.type === 'group' && r.name !== null) groupScopes[r.name] = r.scope
    else if (r.type === 'pc' && r.name === pcId) pc = r.scope
  }
  const entry = await readCatalogKey(core, BUCKETS.agentGroups, pcId)
  const groups = entry ? parseGroups(entry.value) : []
  const resolved = resolveEffectiveConfig(global, groupScopes, pc, groups)
  return { pc_id: pcId, effective: resolved.effective, warnings: resolved.warnings }
}
