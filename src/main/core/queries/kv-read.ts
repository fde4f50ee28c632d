import type { KV, NatsConnection } from 'nats'
import { ApiError } from '../../../shared/api/errors'
import { isNotFound } from '../nats/bootstrap'
import { getRaw, openKv } from '../nats/kv'
import type { CoreServices } from '../services'

// Reading KV buckets for read routes. A whole bucket is read with one watcher (an ordered
// consumer delivering the latest value of every key) rather than one request per key: 5,000
// agent_groups entries are a single stream pass. Named keys are fetched a few at a time in
// parallel, never while iterating a key listing (the nats 2.29.3 / server 2.9.10 pitfall).

const PARALLEL = 32
const READ_ALL_TIMEOUT_MS = 10_000

/** The live NATS connection, or 503 nats_unavailable. */
export function natsOrThrow(core: CoreServices): NatsConnection {
  if (!core.nats || !core.nats.connected) throw new ApiError('nats_unavailable', 'the NATS connection is down')
  return core.nats.nc
}

export function natsUp(core: CoreServices): boolean {
  return !!core.nats && core.nats.connected
}

const dec = new TextDecoder()

/** The latest value of every live key: the watcher's initial pass, then it is stopped. */
async function readAll(kv: KV, bucket: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  let initialized!: () => void
  const done = new Promise<void>((resolve) => (initialized = resolve))
  // initializedFn runs after the last initial entry was handed out (or at once when the
  // bucket is empty / everything is already queued; the queued entries are still yielded).
  const iter = await kv.watch({ initializedFn: () => initialized() })
  const reading = (async () => {
    for await (const e of iter) {
      if (e.operation === 'PUT') out.set(e.key, dec.decode(e.value))
      else out.delete(e.key)
    }
  })()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('gateway_timeout', `reading KV ${bucket} took too long`)), READ_ALL_TIMEOUT_MS)
  })
  try {
    await Promise.race([done, timeout])
  } finally {
    clearTimeout(timer)
    iter.stop()
    await reading
  }
  return out
}

/** Every live value of a bucket (or of the named keys) as text; an absent bucket reads as empty. */
export async function readBucket(nc: NatsConnection, bucket: string, only?: readonly string[]): Promise<Map<string, string>> {
  let kv: KV
  try {
    kv = await openKv(nc, bucket)
    if (!only) return await readAll(kv, bucket)
  } catch (e) {
    if (isNotFound(e)) return new Map()
    throw e
  }
  const out = new Map<string, string>()
  for (let i = 0; i < only.length; i += PARALLEL) {
    const chunk = only.slice(i, i + PARALLEL)
    const values = await Promise.all(chunk.map((k) => getRaw(kv, k)))
    values.forEach((v, j) => v && out.set(chunk[j], v.value))
  }
  return out
}
