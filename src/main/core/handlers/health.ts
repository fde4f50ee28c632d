import type { DomainHandlers } from './types'
import type { FleetHealth, healthOps } from '../../../shared/api/health'
import { KV, KV_BUCKETS, OBJECT_STORES, STREAMS } from '../../../shared/nats-names'
import { toCanonical } from '../../../shared/time'
import { jetstreamStatus } from '../nats/bootstrap'
import { agentLiveness, recentResults } from '../queries/health'
import { natsOrThrow, natsUp } from '../queries/kv-read'
import type { CoreServices } from '../services'

// kanade's fleet-health rule (reference §8): the JetStream contract is the 5 streams, the 6
// KV buckets other than `jobs` and the object store. Without a broker nothing can be shown to
// exist, so every resource counts as missing (degraded).

const CONTRACT = [
  ...STREAMS.map((s) => s.name),
  ...KV_BUCKETS.filter((b) => b.name !== KV.jobs).map((b) => b.name),
  ...OBJECT_STORES,
]

async function missingResources(core: CoreServices): Promise<{ missing: string[]; connected: boolean }> {
  if (!natsUp(core)) return { missing: [...CONTRACT], connected: false }
  try {
    const s = await jetstreamStatus(core.nats!.nc)
    const present = new Set([...s.streams, ...s.kv_buckets, ...s.object_stores].filter((r) => r.exists).map((r) => r.name))
    return { missing: CONTRACT.filter((n) => !present.has(n)), connected: true }
  } catch (e) {
    core.log.warn('fleet health: JetStream check failed', e)
    return { missing: [...CONTRACT], connected: false }
  }
}

export function fleetStatus(allOk: boolean, known: number, stale: number): FleetHealth['status'] {
  if (!allOk || stale > 0) return 'degraded'
  return known > 0 ? 'ok' : 'unknown'
}

export const healthHandlers: DomainHandlers<typeof healthOps> = {
  async fleetHealth({ core }) {
    const now = core.now()
    const agents = agentLiveness(core.db, now)
    const { missing, connected } = await missingResources(core)
    const allOk = missing.length === 0
    return {
      status: fleetStatus(allOk, agents.known, agents.stale),
      agents,
      jetstream: { all_ok: allOk, healthy: CONTRACT.length - missing.length, total: CONTRACT.length, missing },
      recent_results: recentResults(core.db, now),
      observed_at: toCanonical(now),
      nats_connected: connected,
    }
  },

  async jetstreamStatus({ core }) {
    return jetstreamStatus(natsOrThrow(core))
  },
}
