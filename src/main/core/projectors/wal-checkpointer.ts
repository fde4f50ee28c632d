import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from '../db/open'
import type { Logger } from '../log'

// WAL checkpoints off the main thread. With ~1000 dirty pages per projection batch, SQLite's
// automatic checkpoint (every 1000 WAL pages, run inside the committing call, with an fsync of
// the WAL and of the database under synchronous=NORMAL) fired on almost every commit and held
// the event loop for tens to hundreds of milliseconds (bench/projection.ts). Here the main
// connection stops auto-checkpointing and a worker thread with its own connection runs
// PASSIVE checkpoints, which never block the writer. If the worker cannot run, the main
// connection goes back to automatic checkpoints: the WAL never grows without bound.
//
// A PASSIVE checkpoint never catches up with a writer that commits without pause (a catch-up
// of 100,000 results grew the WAL to ~900 MB): once the log passes RESTART_FRAMES, the next
// checkpoint is RESTART — it holds the writer for the few frames left, so the next commit
// starts the log from the beginning again, and journal_size_limit (db/open.ts) gives the disk
// space back.

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.modulePath)
const db = new Database(workerData.path, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {})
db.pragma('busy_timeout = 1000')
db.pragma('synchronous = NORMAL')
let running = true
function tick() {
  if (!running) return
  try {
    let r = db.pragma('wal_checkpoint(PASSIVE)')[0]
    if (r.log > workerData.restartFrames) r = db.pragma('wal_checkpoint(RESTART)')[0]
    parentPort.postMessage({ type: 'checkpoint', log: r.log, checkpointed: r.checkpointed })
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String((e && e.message) || e) })
  }
  setTimeout(tick, workerData.intervalMs)
}
parentPort.on('message', (m) => {
  if (m === 'stop') {
    running = false
    db.close()
    parentPort.close()
  }
})
tick()
`

export interface WalCheckpointer {
  /** Checkpoints run so far (tests and diagnostics). */
  readonly runs: number
  stop(): Promise<void>
}

const AUTO_CHECKPOINT_PAGES = 1000
/** 16,384 frames of 4 KiB pages: a 64 MiB log. */
const RESTART_FRAMES = 16_384

export interface CheckpointerOptions {
  intervalMs?: number
  /** WAL frames above which the checkpoint makes the log start over (RESTART). */
  restartFrames?: number
  /** better_sqlite3.node for this process's ABI (Electron), as given to setSqliteNativeBinding. */
  nativeBinding?: string
}

/** Start checkpointing `db`'s WAL in a worker; null when the database has no WAL file. */
export function startWalCheckpointer(db: Db, log: Logger, opts: CheckpointerOptions = {}): WalCheckpointer | null {
  const intervalMs = opts.intervalMs ?? 250
  const restartFrames = opts.restartFrames ?? RESTART_FRAMES
  if (db.readonly || db.memory || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return null
  let modulePath: string
  try {
    modulePath = createRequire(import.meta.url).resolve('better-sqlite3')
  } catch (e) {
    log.warn('WAL checkpoints stay on the main thread: better-sqlite3 cannot be resolved for a worker', e)
    return null
  }
  const worker = new Worker(WORKER, { eval: true, workerData: { modulePath, path: db.name, intervalMs, restartFrames, nativeBinding: opts.nativeBinding } })
  worker.unref()
  let runs = 0
  let stopping = false
  const fallBack = (why: string) => {
    if (stopping || !db.open) return
    log.warn(`WAL checkpoint worker stopped (${why}); SQLite checkpoints automatically again`)
    db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
  }
  let lastError = ''
  worker.on('message', (m: { type: string; message?: string }) => {
    if (m.type === 'checkpoint') runs++
    else if (m.type === 'error' && m.message !== lastError) {
      lastError = m.message ?? ''
      log.warn(`WAL checkpoint failed: ${lastError}`)
    }
  })
  worker.on('error', (e) => fallBack(e.message))
  worker.on('exit', (code) => fallBack(`exit code ${code}`))
  db.pragma('wal_autocheckpoint = 0')
  return {
    get runs() {
      return runs
    },
    async stop() {
      stopping = true
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
      const exited = new Promise<void>((r) => worker.once('exit', () => r()))
      worker.postMessage('stop')
      await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 2000).unref())])
      await worker.terminate()
    },
  }
}
