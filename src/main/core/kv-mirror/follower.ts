import type { KvEntry, NatsConnection, QueuedIterator } from 'nats'
import { toCanonical } from '../../../shared/time'
import type { Db } from '../db/open'
import type { Logger } from '../log'
import { isNotFound } from '../nats/bootstrap'
import { openKv } from '../nats/kv'
import { applyChanges, replaceBucket, type MirrorChange, type MirrorEntry } from './store'

// Keeps one KV bucket copied into SQLite with ONE watch (an ordered consumer): its initial pass
// delivers the latest entry of every key (deletes included), which replaces the bucket's rows
// in one transaction; everything after it is applied key by key in small batches. Any trouble
// (watch ended, bucket missing, initial pass too slow) starts a fresh copy after a backoff, and
// the owner calls sync() again after every reconnect, so a watch lost with a restarted server
// never leaves the copy behind.

export interface FollowerOptions {
  /** Changes are written at most this often (ms). */
  flushMs: number
  /** …or as soon as this many are waiting. */
  maxBatch: number
  /** Give up on an initial pass that takes longer than this and start again. */
  initialTimeoutMs: number
  /** Backoff after a failure: first delay, doubled up to maxRetryMs. */
  retryMs: number
  maxRetryMs: number
}

export const DEFAULT_FOLLOWER_OPTIONS: FollowerOptions = {
  flushMs: 50,
  maxBatch: 500,
  initialTimeoutMs: 30_000,
  retryMs: 1000,
  maxRetryMs: 30_000,
}

export interface FollowerDeps {
  db: Db
  nc: () => NatsConnection | null
  now: () => number
  log: Logger
  /** Called after a batch of live changes was written (not for the initial copy). */
  onApplied?: (bucket: string, keys: string[]) => void
}

const dec = new TextDecoder()

function toEntry(e: KvEntry): MirrorEntry {
  return { key: e.key, value: dec.decode(e.value), revision: e.revision, updatedAt: toCanonical(e.created.getTime()) }
}

function toChange(e: KvEntry): MirrorChange {
  return e.operation === 'PUT' ? { op: 'put', ...toEntry(e) } : { op: 'delete', key: e.key, revision: e.revision }
}

export class BucketFollower {
  /** Bumped by every sync()/stop(): a watch of an older generation stops applying anything. */
  private gen = 0
  private iter: QueuedIterator<KvEntry> | null = null
  private pending: MirrorChange[] = []
  private flushTimer: NodeJS.Timeout | null = null
  private retryTimer: NodeJS.Timeout | null = null
  private retryDelay: number
  private stopped = false
  /** True once the current generation's initial copy is stored. */
  synced = false

  constructor(
    readonly bucket: string,
    private readonly deps: FollowerDeps,
    private readonly opts: FollowerOptions = DEFAULT_FOLLOWER_OPTIONS,
  ) {
    this.retryDelay = opts.retryMs
  }

  /** Start a fresh copy (dropping the current watch); resolves once the initial copy is
   *  stored, rejects when it could not be made (a retry is already scheduled then). */
  async sync(): Promise<void> {
    if (this.stopped) return
    const gen = this.restart()
    try {
      await this.copy(gen)
      this.retryDelay = this.opts.retryMs
    } catch (e) {
      if (gen === this.gen && !this.stopped) {
        this.deps.log.warn(`mirroring KV ${this.bucket} failed; retrying in ${this.retryDelay} ms`, e)
        this.scheduleRetry(gen)
      }
      throw e
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.restart()
  }

  /** End the current generation: stop its watch and timers, write what it already received. */
  private restart(): number {
    this.gen++
    this.synced = false
    this.iter?.stop()
    this.iter = null
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.flush()
    return this.gen
  }

  private scheduleRetry(gen: number, fixedDelay?: number): void {
    if (this.stopped || gen !== this.gen || this.retryTimer) return
    const delay = fixedDelay ?? this.retryDelay
    if (fixedDelay === undefined) this.retryDelay = Math.min(this.retryDelay * 2, this.opts.maxRetryMs)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (gen === this.gen) this.sync().catch(() => {}) // logged (and retried) inside
    }, delay)
    this.retryTimer.unref?.()
  }

  private async copy(gen: number): Promise<void> {
    const nc = this.deps.nc()
    if (!nc || nc.isClosed()) throw new Error('no NATS connection')
    const kv = await openKv(nc, this.bucket)

    const initial = new Map<string, MirrorEntry>()
    let live = false
    let signalled = false
    let processed = 0
    let iter: QueuedIterator<KvEntry> | null = null
    let resolveCopied!: () => void
    const copied = new Promise<void>((resolve) => (resolveCopied = resolve))
    const finishInitial = () => {
      if (live || gen !== this.gen) return
      live = true
      replaceBucket(this.deps.db, this.bucket, [...initial.values()], toCanonical(this.deps.now()))
      initial.clear()
      this.synced = true
      resolveCopied()
    }
    // The watch signals the end of its initial pass either in order (after the last initial
    // entry) or at once while entries are still queued; count what was handed out to be sure.
    const maybeFinish = () => {
      if (signalled && iter && processed >= iter.getReceived()) finishInitial()
    }

    try {
      iter = await kv.watch({
        key: '>',
        ignoreDeletes: false,
        initializedFn: () => {
          signalled = true
          maybeFinish()
        },
      })
    } catch (e) {
      if (!isNotFound(e)) throw e
      // No such bucket on the broker: kanade reads it as empty. Look again later.
      replaceBucket(this.deps.db, this.bucket, [], toCanonical(this.deps.now()))
      this.synced = true
      this.deps.log.debug(`KV ${this.bucket} does not exist; mirrored as empty`)
      this.scheduleRetry(gen, this.opts.maxRetryMs)
      return
    }
    if (gen !== this.gen) {
      iter.stop()
      return
    }
    this.iter = iter
    maybeFinish()

    const watched = iter
    const pump = (async () => {
      for await (const e of watched) {
        if (gen !== this.gen) break
        processed++
        if (!live) {
          if (e.operation === 'PUT') initial.set(e.key, toEntry(e))
          else initial.delete(e.key)
          // delta = entries still pending on the server: 0 means this one caught up.
          if (e.delta === 0) finishInitial()
          else maybeFinish()
        } else {
          this.pending.push(toChange(e))
          if (this.pending.length >= this.opts.maxBatch) this.flush()
          else this.flushTimer ??= setTimeout(() => this.flush(), this.opts.flushMs)
        }
      }
    })()
    // The watch ends on its own only on trouble (stream deleted, connection closed): copy again.
    void pump
      .catch((e) => this.deps.log.warn(`the KV ${this.bucket} watch failed`, e))
      .finally(() => {
        if (gen !== this.gen || this.stopped) return
        this.flush()
        this.synced = false
        this.deps.log.warn(`the KV ${this.bucket} watch ended; copying the bucket again`)
        this.scheduleRetry(gen)
      })

    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        copied,
        pump.then(() => {
          if (!live) throw new Error(`the KV ${this.bucket} watch ended during its initial pass`)
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the initial pass over KV ${this.bucket} took more than ${this.opts.initialTimeoutMs} ms`)),
            this.opts.initialTimeoutMs,
          )
        }),
      ])
    } catch (e) {
      if (gen === this.gen) {
        watched.stop()
        this.iter = null
      }
      throw e
    } finally {
      clearTimeout(timer)
    }
  }

  /** Write the waiting changes in one transaction. */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (!this.pending.length) return
    const batch = this.pending
    this.pending = []
    try {
      applyChanges(this.deps.db, this.bucket, batch)
    } catch (e) {
      // A failed write would leave a hole in the copy: make a fresh one instead.
      this.deps.log.error(`writing the KV ${this.bucket} mirror failed; copying the bucket again`, e)
      this.synced = false
      this.scheduleRetry(this.gen)
      return
    }
    this.deps.onApplied?.(this.bucket, [...new Set(batch.map((c) => c.key))])
  }
}
