import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { sqliteNativeBinding } from '../db/open'
import type { Logger } from '../log'
import type { PushEvents } from '../../../shared/events'
import type { CoreServices } from '../services'
import type { ProjectionCounts, ProjectorsHandle } from './index'
import { errorFromData, type FromProjectionThread, type ProjectionThreadInit, type ToProjectionThread } from './thread-protocol'
import { statusEventRow, type ProjectorStatus } from './types'

// The main-thread side of the projection thread (thread-entry.ts). The console's event loop
// keeps serving the API, IPC and SSE; the thread pushes events (re-emitted on the bus), its
// status (status() answers from the last copy) and log lines. A thread that dies is started
// again with backoff: everything it had not acked comes back from JetStream, and the stored
// offsets make a replay harmless.

const ENTRY_FILE = 'projection-thread.js'
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 15_000

/** The built projection thread: KANADE_PROJECTION_THREAD (tests run the sources), else next to the bundle. */
export function projectionThreadEntry(): string | null {
  const candidates = [
    process.env.KANADE_PROJECTION_THREAD,
    fileURLToPath(new URL(`./${ENTRY_FILE}`, import.meta.url)),
    fileURLToPath(new URL(`../${ENTRY_FILE}`, import.meta.url)),
  ]
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null
}

export type ProjectionThreadOptions = Omit<ProjectionThreadInit, 'dbPath' | 'nats' | 'installId' | 'consumerPrefix'> & {
  entry?: string
  restartMinMs?: number
  restartMaxMs?: number
}

/** Start the projectors in their own thread; null when that is not possible here (then run them in-process). */
export async function startProjectionThread(core: CoreServices, opts: ProjectionThreadOptions = {}): Promise<ProjectorsHandle | null> {
  const entry = opts.entry ?? projectionThreadEntry()
  const log = core.log.child('projectors')
  if (!entry || !core.nats || core.db.memory || core.readonly) {
    if (!entry && core.nats) log.warn(`the projection thread is not built (${ENTRY_FILE}); projecting on the main thread`)
    return null
  }
  const { entry: _e, restartMinMs, restartMaxMs, ...rest } = opts
  const init: ProjectionThreadInit = {
    ...rest,
    // Under Electron the thread must load the Electron build of better-sqlite3 too.
    nativeBinding: rest.nativeBinding ?? sqliteNativeBinding(),
    dbPath: core.db.name,
    nats: core.nats.options,
    installId: core.installId,
    consumerPrefix: core.config.consumerPrefix ?? null,
  }
  const thread = new ProjectionThread(entry, init, core, log, restartMinMs ?? 1000, restartMaxMs ?? 30_000)
  try {
    await thread.start()
  } catch (e) {
    log.warn('the projection thread did not start; projecting on the main thread', e)
    return null
  }
  return thread
}

class ProjectionThread implements ProjectorsHandle {
  readonly where = 'thread'
  private worker: Worker | null = null
  private lastStatus: ProjectorStatus[] = []
  private lastCounts: ProjectionCounts = { messages: 0, transactions: 0, heartbeats: 0 }
  private pragmas = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  private nextId = 1
  private stopping = false
  private restartTimer: NodeJS.Timeout | null = null
  private backoff: number

  constructor(
    private readonly entry: string,
    private readonly init: ProjectionThreadInit,
    private readonly core: CoreServices,
    private readonly log: Logger,
    private readonly restartMinMs: number,
    private readonly restartMaxMs: number,
  ) {
    this.backoff = restartMinMs
  }

  status(): ProjectorStatus[] {
    return this.lastStatus
  }

  counts(): ProjectionCounts {
    return this.lastCounts
  }

  pragma(text: string): Promise<unknown> {
    const w = this.worker
    if (!w) return Promise.reject(new Error('the projection thread is not running'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pragmas.set(id, { resolve, reject })
      w.postMessage({ type: 'pragma', id, text } satisfies ToProjectionThread)
    })
  }

  /** Spawn the thread and wait until its projectors run. */
  start(): Promise<void> {
    const w = new Worker(this.entry, { workerData: this.init })
    return new Promise<void>((resolve, reject) => {
      let ready = false
      const timer = setTimeout(() => {
        if (!ready) {
          reject(new Error(`projection thread: not ready after ${START_TIMEOUT_MS / 1000} s`))
          void w.terminate()
        }
      }, START_TIMEOUT_MS)
      w.on('message', (m: FromProjectionThread) => {
        if (m.type === 'ready') {
          ready = true
          clearTimeout(timer)
          if (this.stopping) {
            // Stopped while this (re)start was under way: do not leave it running.
            w.postMessage({ type: 'stop' } satisfies ToProjectionThread)
            return resolve()
          }
          this.worker = w
          this.lastStatus = m.status
          this.lastCounts = m.counts
          this.backoff = this.restartMinMs
          this.autoCheckpoint(false)
          resolve()
        } else if (m.type === 'fatal') {
          if (!ready) {
            clearTimeout(timer)
            reject(errorFromData(m.error))
          } else {
            this.log.error(`projection thread failed: ${m.error.message}`)
          }
        } else {
          this.receive(m)
        }
      })
      w.on('error', (e) => {
        if (!ready) {
          clearTimeout(timer)
          reject(e)
        } else {
          this.log.error('projection thread crashed', e)
        }
      })
      w.on('exit', (code) => {
        if (!ready) {
          clearTimeout(timer)
          reject(new Error(`projection thread: exited with code ${code} while starting`))
          return
        }
        if (this.worker === w) this.died(code)
      })
    })
  }

  private receive(m: FromProjectionThread): void {
    switch (m.type) {
      case 'event':
        // State changes come as events at once; keep status() as current as they are.
        if (m.event.type === 'projector.status') this.mergeStatus(m.event.data as PushEvents['projector.status'])
        this.core.bus.emit(m.event.type, m.event.data as never)
        return
      case 'status':
        this.lastStatus = m.status
        this.lastCounts = m.counts
        return
      case 'log': {
        const { level, message } = m.line
        this.log[level](message)
        return
      }
      case 'pragma': {
        const p = this.pragmas.get(m.id)
        this.pragmas.delete(m.id)
        if (m.error) p?.reject(errorFromData(m.error))
        else p?.resolve(m.value)
        return
      }
    }
  }

  private mergeStatus(e: PushEvents['projector.status']): void {
    const byName = new Map(e.projectors.map((p) => [p.name, p]))
    this.lastStatus = this.lastStatus.map((s) => ({ ...s, ...byName.get(s.name) }) as ProjectorStatus)
  }

  /** Unexpected exit: show it, then start a new thread with backoff. */
  private died(code: number): void {
    this.worker = null
    this.autoCheckpoint(true)
    for (const p of this.pragmas.values()) p.reject(new Error('the projection thread stopped'))
    this.pragmas.clear()
    if (this.stopping) return
    this.log.error(`projection thread exited (code ${code}); starting it again in ${this.backoff} ms`)
    this.lastStatus = this.lastStatus.map((s) => ({ ...s, state: 'restarting', last_error: `projection thread exited (code ${code})` }))
    this.core.bus.emit('projector.status', { projectors: this.lastStatus.map(statusEventRow) })
    const delay = this.backoff
    this.backoff = Math.min(this.backoff * 2, this.restartMaxMs)
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null
      if (this.stopping) return
      this.start().catch((e) => {
        this.log.error('projection thread did not start again', e)
        this.died(1)
      })
    }, delay)
  }

  async stop(): Promise<void> {
    this.stopping = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    const w = this.worker
    if (!w) return
    const exited = new Promise<void>((r) => w.once('exit', () => r()))
    w.postMessage({ type: 'stop' } satisfies ToProjectionThread)
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS).unref())])
    if (timedOut) {
      this.log.warn(`projection thread did not stop within ${STOP_TIMEOUT_MS / 1000} s; terminating it`)
      await w.terminate()
    }
    this.worker = null
    this.autoCheckpoint(true)
    this.lastStatus = this.lastStatus.map((s) => ({ ...s, state: 'stopped' }))
  }

  /**
   * While the thread (and its checkpoint worker) runs, this connection must not checkpoint on
   * commit: after a catch-up the WAL holds up to ~64 MB, and a small API write would copy it
   * on the event loop. Without the thread, SQLite's automatic checkpoints are back.
   */
  private autoCheckpoint(on: boolean): void {
    if (this.core.db.open) this.core.db.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`)
  }
}
