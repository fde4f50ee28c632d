import type { KV } from 'nats'

// Latest value of every key of a bucket in one ordered consumer (a KV watch that stops once
// the initial values are delivered), instead of one get() per key: agent_groups holds one
// key per PC, so a fleet of 5,000 would otherwise cost 5,000 round trips per exec.

export interface KvValue {
  value: Uint8Array
  revision: number
}

export async function snapshotKv(kv: KV, timeoutMs = 15_000): Promise<Map<string, KvValue>> {
  const out = new Map<string, KvValue>()
  let initialized!: () => void
  const ready = new Promise<void>((resolve) => {
    initialized = resolve
  })
  const iter = await kv.watch({ key: '>', initializedFn: () => initialized() })
  const pump = (async () => {
    for await (const e of iter) {
      if (e.operation === 'PUT') out.set(e.key, { value: e.value, revision: e.revision })
      else out.delete(e.key)
    }
  })()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      ready,
      pump.then(() => {
        throw new Error('KV watch ended before the initial values were delivered')
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`KV snapshot timed out after ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
    iter.stop()
  }
  await pump.catch(() => {})
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
