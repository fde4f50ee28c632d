import type { JetStreamClient, JetStreamManager } from 'nats'
import { AGENT_RELEASES } from '../../shared/nats-names'
import type { SimAgent } from './agent'
import type { Rng } from './random'

// Agents coming and going: self-update to agent_config's target_version (§7.9: download
// agent_releases/<v>, swap, exit 64, the service restarts it) and the flapping profile
// (offline for a few minutes now and then).

export interface LifecycleDeps {
  js: JetStreamClient
  jsm: JetStreamManager
  rng: Rng
  setOnline(pcId: string, online: boolean): void
  /** A timer cancelled when the fleet stops. */
  later(ms: number, fn: () => void): void
}

export class SelfUpdater {
  private readonly pending = new Map<SimAgent, string>()

  constructor(private readonly deps: LifecycleDeps) {}

  /** The effective config changed: start, keep or cancel an update towards `target`. */
  consider(a: SimAgent, target: string | null, jitterMs: number): void {
    if (!target || target === a.agentVersion) {
      this.pending.delete(a)
      return
    }
    if (this.pending.get(a) === target) return
    this.pending.set(a, target)
    this.deps.later(this.deps.rng.range(0, jitterMs), () => void this.update(a, target))
  }

  private async update(a: SimAgent, version: string): Promise<void> {
    if (this.pending.get(a) !== version) return
    if (!a.online || a.busy > 0) return this.deps.later(5_000, () => void this.update(a, version))
    if (!(await this.releaseExists(version))) {
      a.log(Date.now(), 'WARN', `self-update: agent_releases/${version} not found`)
      this.pending.delete(a)
      return
    }
    a.log(Date.now(), 'INFO', `self-update: ${a.agentVersion} -> ${version}, restarting (exit 64)`)
    this.deps.setOnline(a.pcId, false)
    this.deps.later(1_500 + this.deps.rng.range(0, 1_500), () => {
      a.agentVersion = version
      a.forgetSeen() // a new process: the in-memory dedup cache starts empty
      this.pending.delete(a)
      this.deps.setOnline(a.pcId, true)
    })
  }

  private async releaseExists(version: string): Promise<boolean> {
    try {
      await this.deps.jsm.streams.info(`OBJ_${AGENT_RELEASES}`) // agents never create the store
      const os = await this.deps.js.views.os(AGENT_RELEASES)
      const info = await os.info(version)
      return !!info && !info.deleted
    } catch {
      return false
    }
  }
}

/** Take a flapping agent offline after `onlineMs`, back after `offlineMs`, forever. */
export function scheduleFlapping(
  a: SimAgent,
  deps: LifecycleDeps,
  onlineMs: readonly [number, number],
  offlineMs: readonly [number, number],
): void {
  deps.later(deps.rng.range(onlineMs[0], onlineMs[1]), () => {
    deps.setOnline(a.pcId, false)
    deps.later(deps.rng.range(offlineMs[0], offlineMs[1]), () => {
      deps.setOnline(a.pcId, true)
      scheduleFlapping(a, deps, onlineMs, offlineMs)
    })
  })
}
