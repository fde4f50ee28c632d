// ConfigScope — KV agent_config[global | groups.<g> | pcs.<pc>] — and the effective
// config resolution of kanade-protocol.md §6.
import { z } from 'zod'
import { compact, decodeWith, orUnset } from './codec'
import { sortUniqueBytewise } from './common'

/** The 0.30 fields, in encoder order. */
export const CONFIG_FIELDS = ['target_version', 'target_version_jitter', 'heartbeat_interval'] as const
export type ConfigField = (typeof CONFIG_FIELDS)[number]

/** One layer: every field optional (unset = inherit). Durations are humantime strings,
 *  kept verbatim: the agent falls back to the built-in default when one is malformed. */
export interface ConfigScope {
  target_version?: string
  target_version_jitter?: string
  heartbeat_interval?: string
}

export interface EffectiveConfig {
  /** Null = no self-update. */
  target_version: string | null
  target_version_jitter: string
  heartbeat_interval: string
}

/** Built-in 0.30 defaults (§6.2). */
export const CONFIG_DEFAULTS: Readonly<EffectiveConfig> = Object.freeze({
  target_version: null,
  target_version_jitter: '0s',
  heartbeat_interval: '30s',
})

// Unknown keys (later or retired fields) are dropped: decode keeps the 0.30 fields only.
export const ConfigScopeSchema: z.ZodType<ConfigScope> = z
  .object({
    target_version: orUnset(z.string()),
    target_version_jitter: orUnset(z.string()),
    heartbeat_interval: orUnset(z.string()),
  })
  .transform(
    (c): ConfigScope =>
      compact({
        target_version: c.target_version,
        target_version_jitter: c.target_version_jitter,
        heartbeat_interval: c.heartbeat_interval,
      }),
  )

/** Decode a scope; JSON null = unset; unknown keys ignored. */
export function decodeConfigScope(raw: unknown): ConfigScope {
  return decodeWith('ConfigScope', ConfigScopeSchema, raw)
}

/** Compact JSON with the set fields only, in kanade's order; an empty scope is `{}`. */
export function encodeConfigScope(scope: ConfigScope): string {
  return JSON.stringify(decodeConfigScope(scope))
}

export interface GroupConflict {
  field: ConfigField
  /** The groups that set the field, in application order (the last one wins). */
  groups: string[]
}

/** kanade-backend's rendering of a MultiGroupConflict. */
export function formatConflictWarning(c: GroupConflict): string {
  const winner = c.groups[c.groups.length - 1]
  return `multi-group conflict on \`${c.field}\` — set by [${c.groups.join(', ')}]; alphabetical last wins (=> ${winner})`
}

export interface ResolvedConfig {
  effective: EffectiveConfig
  /** Rendered warnings, one per conflicting field, in field order. */
  warnings: string[]
  conflicts: GroupConflict[]
}

type Layer = ConfigScope | null | undefined

function apply(into: EffectiveConfig, scope: Layer): void {
  if (!scope) return
  for (const f of CONFIG_FIELDS) {
    const v = scope[f]
    if (v !== undefined && v !== null) into[f] = v
  }
}

/** Effective config of one PC (§6.3): defaults, then `global`, then each of the PC's
 *  groups that has a scope in byte-wise order (last wins), then the PC's own scope.
 *  `groupScopes` is keyed by group name (without the `groups.` prefix). */
export function resolveEffectiveConfig(
  global: Layer,
  groupScopes: Readonly<Record<string, ConfigScope>>,
  pcScope: Layer,
  groups: readonly string[],
): ResolvedConfig {
  const effective: EffectiveConfig = { ...CONFIG_DEFAULTS }
  apply(effective, global)
  const setBy = new Map<ConfigField, string[]>()
  for (const g of sortUniqueBytewise(groups)) {
    if (!Object.hasOwn(groupScopes, g)) continue // a group without a scope is skipped silently
    const scope = groupScopes[g]
    for (const f of CONFIG_FIELDS) {
      if (scope?.[f] !== undefined && scope?.[f] !== null) setBy.set(f, [...(setBy.get(f) ?? []), g])
    }
    apply(effective, scope)
  }
  apply(effective, pcScope)
  const conflicts: GroupConflict[] = []
  for (const f of CONFIG_FIELDS) {
    const by = setBy.get(f)
    if (by && by.length >= 2) conflicts.push({ field: f, groups: by })
  }
  return { effective, warnings: conflicts.map(formatConflictWarning), conflicts }
}
