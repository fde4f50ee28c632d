import type { KV } from 'nats'

// Follow a whole KV bucket: current values first, then every change (one ordered watch).

export interface Follower {
  /** Resolves once the current values have been delivered (or after `initTimeoutMs`). */
  initialized: Promise<void>
  stop(): void
}

const dec = new TextDecoder()

export async function followBucket(
  kv: KV,
  onEntry: (key: string, value: string | null) => void,
  initTimeoutMs = 5_000,
): Promise<Follower> {
  let markReady!: () => void
  const initialized = new Promise<void>((resolve) => (markReady = resolve))
  const timer = setTimeout(() => markReady(), initTimeoutMs)
  const iter = await kv.watch({
    initializedFn: () => {
      clearTimeout(timer)
      markReady()
    },
  })
  void (async () => {
    try {
      for await (const e of iter) onEntry(e.key, e.operation === 'PUT' ? dec.decode(e.value) : null)
    } catch {
      // the watch ends with the connection; nothing to do
    }
  })()
  return {
    initialized,
    stop: () => {
      clearTimeout(timer)
      iter.stop()
    },
  }
}
