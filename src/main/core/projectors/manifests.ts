import type { KV as KvBucket, KvEntry, NatsConnection, QueuedIterator } from 'nats'
import type { Logger } from '../log'
import { openKv } from '../nats/kv'
import { KV } from '../../../shared/nats-names'
import { decodeManifest, type InventoryHint } from '../../../shared/wire'
import type { ManifestLookup } from './types'

// Inventory hints of the job manifests, kept current by a KV watch on `jobs` (kanade 0.30
// read the KV once per result; a watch keeps the results projector off the network).

const dec = new TextDecoder()

export class ManifestCache implements ManifestLookup {
  private hints = new Map<string, InventoryHint | null>()
  private watcher: QueuedIterator<KvEntry> | null = null
  private stopped = false
  private retryTimer: NodeJS.Timeout | null = null

  constructor(private readonly log: Logger) {}

  /** A fixed cache from manifest values (tests, tools). */
  static of(values: Record<string, unknown>, log: Logger): ManifestCache {
    const c = new ManifestCache(log)
    for (const [k, v] of Object.entries(values)) c.put(k, v)
    return c
  }

  inventoryHint(manifestId: string): InventoryHint | null | undefined {
    return this.hints.get(manifestId)
  }

  /** Store one manifest value; one that does not decode counts as absent (as at 0.30). */
  put(key: string, value: unknown): void {
    try {
      this.hints.set(key, decodeManifest(value).inventory)
    } catch (e) {
      this.hints.delete(key)
      this.log.warn(`jobs[${key}] is not a valid manifest; its results get no inventory row`, e)
    }
  }

  delete(key: string): void {
    this.hints.delete(key)
  }

  /** Watch KV `jobs`; resolves once the current entries are loaded (or after `timeoutMs`). */
  async start(nc: NatsConnection, timeoutMs = 5000): Promise<void> {
    let kv: KvBucket
    try {
      kv = await openKv(nc, KV.jobs)
    } catch (e) {
      this.log.warn('KV jobs is not available yet; inventory hints retried in 5 s', e)
      if (!this.stopped) this.retryTimer = setTimeout(() => void this.start(nc, timeoutMs), 5000)
      return
    }
    let initialized!: () => void
    const ready = new Promise<void>((r) => (initialized = r))
    const watcher = await kv.watch({ initializedFn: () => initialized() })
    this.watcher = watcher
    void (async () => {
      for await (const e of watcher) {
        if (e.operation === 'PUT') {
          let value: unknown
          try {
            value = JSON.parse(dec.decode(e.value))
          } catch {
            value = undefined
          }
          this.put(e.key, value)
        } else {
          this.delete(e.key)
        }
      }
    })().catch((e) => this.log.warn('KV jobs watch ended', e))
    const timeout = new Promise<void>((r) => setTimeout(r, timeoutMs).unref())
    await Promise.race([ready, timeout])
  }

  stop(): void {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.watcher?.stop()
  }
}
