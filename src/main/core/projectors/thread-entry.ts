import { parentPort, workerData } from 'node:worker_threads'
import { EventBus } from '../bus'
import type { ConsoleConfig } from '../config'
import { openDatabase, setSqliteNativeBinding, type Db } from '../db/open'
import { describeExtra, type Logger } from '../log'
import { NatsLink } from '../nats/connect'
import type { CoreServices } from '../services'
import { startProjectors, STREAM_PROJECTORS, type InProcessProjectors } from './index'
import { errorToData, type FromProjectionThread, type ProjectionThreadInit, type ToProjectionThread } from './thread-protocol'

// The projection thread (built as out/main/projection-thread.js): the whole projectors
// subsystem — consumers, heartbeat subscription, manifest watch, the SQLite transactions — on
// its own NATS connection and its own database connection, so receiving, acking, decoding and
// writing thousands of messages a second never runs on the console's event loop. The main thread gets the push
// events, the status and the log lines (projection-thread.ts).

/** Page cache of the thread's connection. */
const CACHE_KIB = 32 * 1024
/** Transactions here do not hold the console's event loop: larger ones, fewer commits. */
const BUDGET_MS = 25

const port = parentPort!
const init = workerData as ProjectionThreadInit
const send = (m: FromProjectionThread) => port.postMessage(m)

function forwardingLogger(scope: string): Logger {
  const line = (level: 'error' | 'warn' | 'info' | 'debug') => (m: string, e?: unknown) =>
    send({ type: 'log', line: { level, message: `${scope ? `${scope}: ` : ''}${m}${describeExtra(e)}` } })
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    child: (s) => forwardingLogger(scope ? `${scope}:${s}` : s),
  }
}

let db: Db | null = null
let link: NatsLink | null = null
let handle: InProcessProjectors | null = null

async function start(): Promise<void> {
  setSqliteNativeBinding(init.nativeBinding)
  db = openDatabase(init.dbPath)
  // A batch dirties thousands of index pages (random UUID keys). With SQLite's default 2 MB
  // cache they spill to the WAL in mid-transaction and are written again at the commit.
  db.pragma(`cache_size = -${CACHE_KIB}`)
  link = await NatsLink.open({ ...init.nats, name: 'kanade-console projection' })
  const bus = new EventBus()
  bus.subscribe((event) => send({ type: 'event', event }))
  const core: CoreServices = {
    // The projectors read only the consumer prefix of the configuration.
    config: { consumerPrefix: init.consumerPrefix } as ConsoleConfig,
    db,
    nats: link,
    embeddedNats: null,
    bus,
    log: forwardingLogger(''),
    now: Date.now,
    readonly: false,
    installId: init.installId,
    subsystems: new Map(),
  }
  const projectors = init.projectors ? STREAM_PROJECTORS.filter((p) => init.projectors!.includes(p.name)) : undefined
  handle = await startProjectors(core, {
    projectors,
    heartbeats: init.heartbeats,
    runner: { budgetMs: BUDGET_MS, ...init.runner },
    statusEveryMs: init.statusEveryMs,
    sqliteNativeBinding: init.nativeBinding,
  })
  // Ready means subscribed: the server has the heartbeat subscription before anyone is told.
  await link.nc.flush()
  send({ type: 'ready', status: handle.status(), counts: handle.counts() })
  // The main thread answers status() from the last copy it got.
  let last = ''
  const timer = setInterval(() => {
    const status = handle!.status()
    const json = JSON.stringify(status)
    if (json !== last) {
      last = json
      send({ type: 'status', status, counts: handle!.counts() })
    }
  }, 100)
  timer.unref()
}

async function stop(): Promise<void> {
  try {
    await handle?.stop()
  } finally {
    await link?.close().catch(() => {})
    db?.close()
    send({ type: 'stopped' })
    port.close()
  }
}

port.on('message', (m: ToProjectionThread) => {
  if (m.type === 'stop') {
    void stop()
  } else if (m.type === 'pragma') {
    if (!handle) return send({ type: 'pragma', id: m.id, error: { message: 'the projection thread is not running' } })
    handle.pragma(m.text).then(
      (value) => send({ type: 'pragma', id: m.id, value }),
      (e) => send({ type: 'pragma', id: m.id, error: errorToData(e) }),
    )
  }
})

start().catch(async (e) => {
  send({ type: 'fatal', error: errorToData(e) })
  await link?.close().catch(() => {})
  db?.close()
  process.exit(1)
})
