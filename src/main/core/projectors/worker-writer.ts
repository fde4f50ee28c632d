import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Db } from '../db/open'
import type { Logger } from '../log'
import type { ApplyResult } from './apply'
import { ChangeSet } from './changes'
import type { ManifestCache } from './manifests'
import type { ReceivedBeat } from './heartbeats'
import type { IncomingMessage, StreamProjector } from './types'
import { InlineWriter, type ProjectionWriter, type WriteOptions } from './writer'
import { errorFromData, packBatch, packBytes, type FromWriter, type ToWriter, type WriterInit } from './writer-protocol'

// The main-thread side of the projection writer thread (writer-thread.ts). Requests go out
// one at a time: while a batch is applied the event loop keeps receiving from NATS, and the
// next batch is sent only after the answer, so a main-thread write waiting on SQLite's busy
// handler waits for one transaction at most. A thread that dies is started again on the next
// batch (its batch failed: the runner restarts the consumer, nothing was acked); if it cannot
// start at all, the console goes on with the inline writer.

/** The worker can hold longer transactions than the event loop could: fewer, larger commits. */
export const WORKER_BUDGET_MS = 25

const ENTRY_FILE = 'projection-writer.js'

/**
 * The built writer thread: KANADE_PROJECTION_WRITER (tests run the sources, so they point it at
 * out/main), else next to the bundle (out/main/cli.js or out/main/chunks/*.js). null = not built.
 */
export function projectionWriterEntry(): string | null {
  const candidates = [
    process.env.KANADE_PROJECTION_WRITER,
    fileURLToPath(new URL(`./${ENTRY_FILE}`, import.meta.url)),
    fileURLToPath(new URL(`../${ENTRY_FILE}`, import.meta.url)),
  ]
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null
}

export interface WorkerWriterOptions {
  /** Path of the built writer thread (default projectionWriterEntry()). */
  entry?: string
  /** better_sqlite3.node for this process's ABI (Electron). */
  nativeBinding?: string
  busyTimeoutMs?: number
  maxOutputBytes?: number
  budgetMs?: number
  /** The console's clock (recorded_at, created_at…), read once per batch. */
  now?: () => number
}

interface Job {
  message: ToWriter & { id: number }
  transfer: ArrayBuffer[]
  resolve(value: unknown): void
  reject(error: Error): void
}

export class WorkerWriter implements ProjectionWriter {
  private readonly budget: number
  private worker: Worker | null = null
  private starting: Promise<Worker> | null = null
  private queue: Job[] = []
  private current: Job | null = null
  private nextId = 1
  private inline: InlineWriter | null = null
  private stopped = false
  private readonly unsubscribe: () => void

  private constructor(
    private readonly db: Db,
    private readonly manifests: ManifestCache,
    private readonly log: Logger,
    private readonly entry: string,
    private readonly opts: WorkerWriterOptions,
    private readonly fallback: InlineWriter,
  ) {
    this.budget = opts.budgetMs ?? WORKER_BUDGET_MS
    this.unsubscribe = manifests.onChange((key, hint) =>
      this.worker?.postMessage({ type: 'hint', key, hint: hint ?? null, deleted: hint === undefined } satisfies ToWriter),
    )
  }

  /** Start the writer thread; null when it is not built or cannot open the database. */
  static async start(db: Db, manifests: ManifestCache, fallback: InlineWriter, log: Logger, opts: WorkerWriterOptions = {}): Promise<WorkerWriter | null> {
    const entry = opts.entry ?? projectionWriterEntry()
    if (!entry || db.memory || db.readonly) {
      if (!entry) log.warn(`the projection writer thread is not built (${ENTRY_FILE}); projecting on the main thread`)
      return null
    }
    const w = new WorkerWriter(db, manifests, log, entry, opts, fallback)
    try {
      await w.spawn()
      return w
    } catch (e) {
      w.unsubscribe()
      log.warn('the projection writer thread did not start; projecting on the main thread', e)
      return null
    }
  }

  get kind(): 'inline' | 'worker' {
    return this.inline ? 'inline' : 'worker'
  }

  get budgetMs(): number | null {
    return this.inline ? null : this.budget
  }

  async apply(p: StreamProjector, msgs: IncomingMessage[], opts: WriteOptions): Promise<ApplyResult> {
    if (this.inline) return this.inline.apply(p, msgs, opts)
    if (opts.failApply) throw new Error('failApply needs the inline writer (a function cannot cross threads)')
    const batch = packBatch(msgs)
    const { maxDeliver, consumer, budgetMs, maxMessages } = opts
    const r = (await this.request(
      { type: 'apply', id: 0, projector: p.name, batch, opts: { maxDeliver, consumer, budgetMs, maxMessages }, now: (this.opts.now ?? Date.now)() },
      [batch.bytes.buffer as ArrayBuffer],
    )) as Extract<FromWriter, { type: 'applied' }>
    return { outcomes: r.outcomes, consumed: r.consumed, lastSeq: r.lastSeq, changes: ChangeSet.fromPlain(r.changes) }
  }

  async heartbeats(beats: ReceivedBeat[]): Promise<ChangeSet> {
    if (this.inline) return this.inline.heartbeats(beats)
    const { ends, bytes } = packBytes(beats.map((b) => b.data))
    const r = (await this.request(
      { type: 'heartbeats', id: 0, subjects: beats.map((b) => b.subject), receivedAt: beats.map((b) => b.receivedAt), ends, bytes, now: (this.opts.now ?? Date.now)() },
      [bytes.buffer as ArrayBuffer],
    )) as Extract<FromWriter, { type: 'beats' }>
    return ChangeSet.fromPlain(r.changes)
  }

  async pragma(text: string): Promise<unknown> {
    if (this.inline) return this.inline.pragma(text)
    const r = (await this.request({ type: 'pragma', id: 0, text }, [])) as Extract<FromWriter, { type: 'pragma' }>
    return r.value
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe()
    const w = this.worker ?? (await this.starting?.catch(() => null))
    if (!w) return
    const exited = new Promise<void>((r) => w.once('exit', () => r()))
    w.postMessage({ type: 'stop' } satisfies ToWriter)
    await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 2000).unref())])
    await w.terminate()
    this.worker = null
  }

  private request(message: ToWriter & { id: number }, transfer: ArrayBuffer[]): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error('the projection writer is stopped'))
    return new Promise((resolve, reject) => {
      message.id = this.nextId++
      this.queue.push({ message, transfer, resolve, reject })
      void this.next()
    })
  }

  private async next(): Promise<void> {
    if (this.current || !this.queue.length) return
    const job = (this.current = this.queue.shift()!)
    let w: Worker
    try {
      w = this.worker ?? (await this.respawn())
    } catch (e) {
      this.current = null
      job.reject(e as Error)
      return void this.next()
    }
    w.ref()
    w.postMessage(job.message, job.transfer)
  }

  /** After a crash: start a new thread; if that fails too, go on inline. */
  private async respawn(): Promise<Worker> {
    try {
      return await this.spawn()
    } catch (e) {
      this.log.error('the projection writer thread cannot be started again; projecting on the main thread from now on', e)
      this.inline = this.fallback
      throw e
    }
  }

  private spawn(): Promise<Worker> {
    if (this.starting) return this.starting
    const init: WriterInit = {
      path: this.db.name,
      nativeBinding: this.opts.nativeBinding,
      busyTimeoutMs: this.opts.busyTimeoutMs ?? 5000,
      autoCheckpoint: Number(this.db.pragma('wal_autocheckpoint', { simple: true })),
      maxOutputBytes: this.opts.maxOutputBytes,
      hints: this.manifests.entries(),
    }
    const w = new Worker(this.entry, { workerData: init })
    this.starting = new Promise<Worker>((resolve, reject) => {
      const failed = (why: string) => {
        this.starting = null
        reject(new Error(`projection writer thread: ${why}`))
      }
      w.once('error', (e) => failed(e.message))
      w.once('exit', (code) => failed(`exited with code ${code} while starting`))
      w.on('message', (m: FromWriter) => {
        if (m.type === 'ready') {
          w.removeAllListeners('error')
          w.removeAllListeners('exit')
          this.watch(w)
          this.worker = w
          this.starting = null
          w.unref()
          resolve(w)
        } else if (m.type === 'fatal') {
          failed(m.error.message)
        } else {
          this.answer(m)
        }
      })
    })
    return this.starting
  }

  private watch(w: Worker): void {
    const died = (why: string) => {
      if (this.worker !== w) return
      this.worker = null
      if (this.stopped) return
      this.log.error(`the projection writer thread stopped (${why}); it is started again for the next batch`)
      const lost = this.current
      this.current = null
      lost?.reject(new Error(`the projection writer thread stopped (${why}) before answering`))
      void this.next()
    }
    w.on('error', (e) => died(e.message))
    w.on('exit', (code) => died(`exit code ${code}`))
  }

  private answer(m: FromWriter): void {
    const job = this.current
    if (!job || !('id' in m) || m.id !== job.message.id) return
    this.current = null
    if (m.type === 'applied' || m.type === 'failed') for (const l of m.logs) this.log[l.level](l.message)
    if (m.type === 'failed') job.reject(errorFromData(m.error))
    else if (m.type === 'pragma' && m.error) job.reject(errorFromData(m.error))
    else job.resolve(m)
    if (this.queue.length) void this.next()
    else this.worker?.unref()
  }
}
