import type { KV, NatsConnection, ObjectStore } from 'nats'
import { ApiError } from '../../../shared/api/errors'
import { isNotFound } from '../nats/bootstrap'
import { openKv } from '../nats/kv'
import type { CoreServices } from '../services'
import { controlTuning } from './tuning'

// Broker access for control handlers: a clear 503 instead of a hang or a stack when the
// connection or a bucket is missing.

export function requireNats(core: CoreServices): NatsConnection {
  if (core.readonly) throw new ApiError('nats_unavailable', 'offline review of a database file: there is no broker')
  const link = core.nats
  if (!link || link.nc.isClosed() || !link.connected) {
    throw new ApiError('nats_unavailable', 'not connected to NATS; try again when the broker is reachable')
  }
  return link.nc
}

/** Bind an existing KV bucket (bootstrap creates them); missing → 503 naming it. */
export async function bucket(core: CoreServices, name: string): Promise<KV> {
  const kv = await bucketOrNull(core, name)
  if (!kv) {
    throw new ApiError('nats_unavailable', `KV bucket '${name}' does not exist; run the JetStream bootstrap (restart the console)`)
  }
  return kv
}

/** Like bucket(), but null when the bucket does not exist (kanade lists answer empty then). */
export async function bucketOrNull(core: CoreServices, name: string): Promise<KV | null> {
  const nc = requireNats(core)
  // A bind does not look at the server, so check the backing stream once per connection.
  let known = existingBuckets.get(nc)
  if (!known) existingBuckets.set(nc, (known = new Set()))
  if (!known.has(name)) {
    try {
      await (await nc.jetstreamManager()).streams.info(`KV_${name}`)
    } catch (e) {
      if (isNotFound(e)) return null
      throw e
    }
    known.add(name)
  }
  return openKv(nc, name)
}

const existingBuckets = new WeakMap<NatsConnection, Set<string>>()

export const AGENT_RELEASES_BUCKET = 'agent_releases'

/** The agent_releases object store. */
export async function releaseStore(core: CoreServices): Promise<ObjectStore> {
  const nc = requireNats(core)
  return nc.jetstream().views.os(AGENT_RELEASES_BUCKET)
}

/** Wait until the server has seen everything published so far, at most flushTimeoutMs. */
export async function flushWithin(nc: NatsConnection, ms = controlTuning.flushTimeoutMs): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      nc.flush(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the broker did not confirm within ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

const enc = new TextEncoder()
export const utf8 = (s: string): Uint8Array => enc.encode(s)
