import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase, type Db } from '../db/open'
import type { Logger } from '../log'
import type { InventoryHint } from '../../../shared/wire'
import { applyChunk } from './apply'
import { auditProjector } from './audit'
import { applyHeartbeats, type ReceivedBeat } from './heartbeats'
import { eventsStartedProjector } from './events-started'
import { inventoryProjector } from './inventory'
import { resultsProjector } from './results'
import type { ApplyEnv, StreamProjector } from './types'
import type { WriterLogLine } from './writer'
import { errorToData, unpackBatch, type FromWriter, type ToWriter, type WriterInit } from './writer-protocol'

// The projection writer thread (built as out/main/projection-writer.js): its own connection
// to the console database, applying one batch per request with applyChunk — the same code
// the inline writer runs. One request at a time, answered before the next is taken, so the
// write lock is free between two batches for the main thread's own writes.

const WRITER_CACHE_KIB = 64 * 1024

const port = parentPort!
const init = workerData as WriterInit
const send = (m: FromWriter) => port.postMessage(m)

const PROJECTORS = new Map<string, StreamProjector>(
  [resultsProjector, auditProjector, eventsStartedProjector, inventoryProjector].map((p) => [p.name, p as StreamProjector]),
)

let logs: WriterLogLine[] = []
const text = (extra: unknown) => (extra instanceof Error ? ` — ${extra.message}` : extra === undefined ? '' : ` ${JSON.stringify(extra)}`)
const log: Logger = {
  error: (m, e) => logs.push({ level: 'error', message: m + text(e) }),
  warn: (m, e) => logs.push({ level: 'warn', message: m + text(e) }),
  info: (m, e) => logs.push({ level: 'info', message: m + text(e) }),
  debug: (m, e) => logs.push({ level: 'debug', message: m + text(e) }),
  child: () => log,
}

const hints = new Map<string, InventoryHint | null>(init.hints)
let now = Date.now()
let db: Db
try {
  db = openDatabase(init.path, { busyTimeoutMs: init.busyTimeoutMs, nativeBinding: init.nativeBinding })
  db.pragma(`wal_autocheckpoint = ${init.autoCheckpoint}`)
  // A batch dirties thousands of index pages (random UUID keys). With SQLite's default 2 MB
  // cache they spill to the WAL in mid-transaction and are written again at the commit.
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`)
} catch (e) {
  send({ type: 'fatal', error: errorToData(e) })
  process.exit(1)
}
const env: ApplyEnv = {
  db,
  now: () => now,
  manifests: { inventoryHint: (id) => hints.get(id) },
  log,
  maxOutputBytes: init.maxOutputBytes,
}

port.on('message', (m: ToWriter) => {
  switch (m.type) {
    case 'apply': {
      logs = []
      now = m.now
      const p = PROJECTORS.get(m.projector)
      try {
        if (!p) throw new Error(`the projection writer has no projector "${m.projector}"`)
        const r = applyChunk(env, p, unpackBatch(m.batch), m.opts)
        send({ type: 'applied', id: m.id, outcomes: r.outcomes, consumed: r.consumed, lastSeq: r.lastSeq, changes: r.changes.toPlain(), logs })
      } catch (e) {
        send({ type: 'failed', id: m.id, error: errorToData(e), logs })
      }
      return
    }
    case 'heartbeats': {
      logs = []
      now = m.now
      let start = 0
      const beats: ReceivedBeat[] = m.subjects.map((subject, i) => {
        const data = m.bytes.subarray(start, m.ends[i])
        start = m.ends[i]
        return { subject, data, receivedAt: m.receivedAt[i] }
      })
      try {
        send({ type: 'beats', id: m.id, changes: applyHeartbeats(env, beats).toPlain() })
      } catch (e) {
        send({ type: 'failed', id: m.id, error: errorToData(e), logs })
      }
      return
    }
    case 'hint':
      if (m.deleted) hints.delete(m.key)
      else hints.set(m.key, m.hint)
      return
    case 'pragma':
      try {
        send({ type: 'pragma', id: m.id, value: db.pragma(m.text, { simple: true }) })
      } catch (e) {
        send({ type: 'pragma', id: m.id, error: errorToData(e) })
      }
      return
    case 'stop':
      db.close()
      port.close()
      return
    default: {
      // A main thread from another build: answer, so the caller does not wait forever.
      const unknown = m as { type?: unknown; id?: unknown }
      if (typeof unknown.id === 'number') {
        send({ type: 'failed', id: unknown.id, error: { message: `the projection writer thread does not know "${String(unknown.type)}" (rebuild: npx electron-vite build)` }, logs: [] })
      }
    }
  }
})
send({ type: 'ready' })
