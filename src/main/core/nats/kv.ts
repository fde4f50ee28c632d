import type { KV, NatsConnection } from 'nats'

// KV helpers. Pitfall (CONVENTIONS.md): with nats 2.29.3 and nats-server 2.9.10, awaiting
// kv.get() while iterating kv.keys() yields only the first key — collect keys first.

const enc = new TextEncoder()
const dec = new TextDecoder()

export async function openKv(nc: NatsConnection, bucket: string): Promise<KV> {
  // bindOnly: never create buckets implicitly here (bootstrap owns their settings).
  return nc.jetstream().views.kv(bucket, { bindOnly: true })
}

export async function listKeys(kv: KV, filter?: string): Promise<string[]> {
  const keys: string[] = []
  const iter = await kv.keys(filter)
  for await (const k of iter) keys.push(k)
  return keys.sort()
}

export async function getRaw(kv: KV, key: string): Promise<{ value: string; revision: number } | null> {
  const e = await kv.get(key)
  if (!e || e.operation !== 'PUT') return null
  return { value: dec.decode(e.value), revision: e.revision }
}

export async function getJson<T = unknown>(kv: KV, key: string): Promise<{ value: T; revision: number } | null> {
  const raw = await getRaw(kv, key)
  if (!raw) return null
  return { value: JSON.parse(raw.value) as T, revision: raw.revision }
}

export async function putRaw(kv: KV, key: string, value: string): Promise<number> {
  return kv.put(key, enc.encode(value))
}

/** All live entries of a bucket (keys first, then values). */
export async function entries(kv: KV): Promise<{ key: string; value: string; revision: number }[]> {
  const out: { key: string; value: string; revision: number }[] = []
  for (const key of await listKeys(kv)) {
    const raw = await getRaw(kv, key)
    if (raw) out.push({ key, ...raw })
  }
  return out
}
