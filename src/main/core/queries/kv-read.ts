import type { NatsConnection } from 'nats'
import { ApiError } from '../../../shared/api/errors'
import { isNotFound } from '../nats/bootstrap'
import { getRaw, listKeys, openKv } from '../nats/kv'
import type { CoreServices } from '../services'

// Reading whole KV buckets for read routes. Keys are listed first and values fetched after
// (the nats 2.29.3 / server 2.9.10 pitfall), a few at a time in parallel so a fleet-sized
// bucket costs a handful of round-trip waves rather than one per key.

const PARALLEL = 32

/** The live NATS connection, or 503 nats_unavailable. */
export function natsOrThrow(core: CoreServices): NatsConnection {
  if (!core.nats || !core.nats.connected) throw new ApiError('nats_unavailable', 'the NATS connection is down')
  return core.nats.nc
}

export function natsUp(core: CoreServices): boolean {
  return !!core.nats && core.nats.connected
}

/** Every live value of a bucket as text; an absent bucket reads as empty. */
export async function readBucket(nc: NatsConnection, bucket: string, only?: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  let keys: string[]
  let kv
  try {
    kv = await openKv(nc, bucket)
    keys = only ? [...only] : await listKeys(kv)
  } catch (e) {
    if (isNotFound(e)) return out
    throw e
  }
  for (let i = 0; i < keys.length; i += PARALLEL) {
    const chunk = keys.slice(i, i + PARALLEL)
    const values = await Promise.all(chunk.map((k) => getRaw(kv, k)))
    values.forEach((v, j) => v && out.set(chunk[j], v.value))
  }
  return out
}
