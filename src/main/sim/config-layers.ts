import {
  decodeConfigScope,
  parseHumantime,
  resolveEffectiveConfig,
  type ConfigScope,
  type EffectiveConfig,
} from '../../shared/wire'

// The agent_config layers the simulator follows (kanade-protocol.md §6, §7.9): global,
// groups.<g> and pcs.<pc>, kept from one watch of the bucket, resolved per agent.

export class ConfigLayers {
  global: ConfigScope | null = null
  readonly groups: Record<string, ConfigScope> = {}
  readonly pcs = new Map<string, ConfigScope>()

  /** Apply one KV change. Returns what it touched: 'all', a pc id, or null (ignored).
   *  Undecodable JSON is ignored (the previous layer stays); a delete removes the layer. */
  apply(key: string, value: string | null): 'all' | { pc: string } | null {
    let scope: ConfigScope | null = null
    if (value !== null) {
      try {
        scope = decodeConfigScope(JSON.parse(value))
      } catch {
        return null
      }
    }
    if (key === 'global') {
      this.global = scope
      return 'all'
    }
    if (key.startsWith('groups.')) {
      const g = key.slice('groups.'.length)
      if (scope) this.groups[g] = scope
      else delete this.groups[g]
      return 'all'
    }
    if (key.startsWith('pcs.')) {
      const pc = key.slice('pcs.'.length)
      if (scope) this.pcs.set(pc, scope)
      else this.pcs.delete(pc)
      return { pc }
    }
    return null // target_version (legacy) and unknown keys
  }

  /** Effective config of one agent; `defaultHeartbeatMs` stands in for the built-in 30 s. */
  resolve(pcId: string, groups: readonly string[], defaultHeartbeatMs: number): EffectiveConfig & { heartbeatMs: number; jitterMs: number } {
    const base: ConfigScope = { heartbeat_interval: `${defaultHeartbeatMs}ms`, ...(this.global ?? {}) }
    const { effective } = resolveEffectiveConfig(base, this.groups, this.pcs.get(pcId) ?? null, groups)
    return { ...effective, heartbeatMs: durationOr(effective.heartbeat_interval, defaultHeartbeatMs), jitterMs: durationOr(effective.target_version_jitter, 0) }
  }
}

/** A humantime value in ms; malformed (or zero, for a cadence) falls back. */
function durationOr(text: string, fallback: number): number {
  try {
    const ms = parseHumantime(text)
    return ms > 0 || fallback === 0 ? ms : fallback
  } catch {
    return fallback
  }
}
