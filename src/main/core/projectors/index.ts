import type { SubsystemFactory } from '../console'
import { loadRetentionSettings } from '../retention'
import type { CoreServices, Subsystem } from '../services'
import { auditProjector } from './audit'
import { eventsStartedProjector } from './events-started'
import { HeartbeatProjector, type HeartbeatOptions } from './heartbeats'
import { inventoryProjector } from './inventory'
import { ManifestCache } from './manifests'
import { resultsProjector } from './results'
import { StreamRunner, type RunnerOptions } from './runner'
import { startWalCheckpointer } from './wal-checkpointer'
import { startProjectionThread } from './projection-thread'
import { sqliteNativeBinding } from '../db/open'
import { statusEventRow, type ApplyEnv, type ProjectorStatus, type StreamProjector } from './types'

// The projectors subsystem: four stream runners (results, audit, events.started, legacy
// inventory) plus the heartbeat subscription, a KV watch for inventory hints, and a
// throttled `projector.status` push event.

export { applyAll, applyChunk, type ApplyOptions, type ApplyResult } from './apply'
export { applyHeartbeats, HeartbeatProjector, type ReceivedBeat } from './heartbeats'
export { expirePendingExecutions, PENDING_EXPIRY_MS } from './cleanup'
export { ChangeSet, emitChanges } from './changes'
export { ManifestCache } from './manifests'
export { StreamRunner, type RunnerHooks, type RunnerOptions } from './runner'
export { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer'
export { projectionThreadEntry, startProjectionThread, type ProjectionThreadOptions } from './projection-thread'
export { auditProjector, eventsStartedProjector, inventoryProjector, resultsProjector }
export type { ApplyEnv, IncomingMessage, ManifestLookup, Outcome, OutcomeKind, ProjectorStatus, StreamProjector } from './types'

/** In kanade's start order (results, audit, events), then the console's legacy inventory. */
export const STREAM_PROJECTORS: StreamProjector[] = [
  resultsProjector as StreamProjector,
  auditProjector as StreamProjector,
  eventsStartedProjector as StreamProjector,
  inventoryProjector as StreamProjector,
]

export interface ProjectorsOptions {
  /** Stream projectors to run (default: all four). */
  projectors?: StreamProjector[]
  /** false = no heartbeat subscription. */
  heartbeats?: false | HeartbeatOptions
  /** Runner settings (prefix defaults to config.consumerPrefix ?? installId). */
  runner?: Partial<RunnerOptions>
  /** Minimum interval between two `projector.status` events. */
  statusEveryMs?: number
  /** better_sqlite3.node for the WAL checkpoint worker under Electron (see wal-checkpointer.ts). */
  sqliteNativeBinding?: string
}

/** What the rest of the console sees of the projection, wherever it runs. */
export interface ProjectorsHandle extends Subsystem {
  /** `thread`: in the projection thread (projection-thread.ts); `in-process`: on this thread. */
  readonly where: 'thread' | 'in-process'
  status(): ProjectorStatus[]
  /** Run a pragma on the connection that writes the projection (diagnostics; tests fill the disk). */
  pragma(text: string): Promise<unknown>
  /** Stream messages settled and heartbeats received since start (soak figures, tests). */
  counts(): ProjectionCounts
}

export interface ProjectionCounts {
  messages: number
  /** Stream transactions committed (messages / transactions = batch size). */
  transactions: number
  heartbeats: number
}

/** The projectors running on this thread, with their parts (tests, the projection thread). */
export interface InProcessProjectors extends ProjectorsHandle {
  readonly runners: StreamRunner[]
  readonly heartbeats: HeartbeatProjector | null
  readonly manifests: ManifestCache
}

export async function startProjectors(core: CoreServices, opts: ProjectorsOptions = {}): Promise<InProcessProjectors> {
  const log = core.log.child('projectors')
  const manifests = new ManifestCache(log)
  const { settings } = loadRetentionSettings(core.db)
  const env: ApplyEnv = { db: core.db, now: core.now, manifests, log, maxOutputBytes: settings.maxOutputBytes }
  const pragma = async (text: string) => core.db.pragma(text, { simple: true })
  const nc = core.nats?.nc
  if (!nc) {
    return {
      where: 'in-process',
      status: () => [],
      pragma,
      counts: () => ({ messages: 0, transactions: 0, heartbeats: 0 }),
      runners: [],
      heartbeats: null,
      manifests,
      stop: async () => {},
    }
  }
  // Inventory hints must be loaded before the first result is projected.
  await manifests.start(nc)
  // Checkpoint the WAL in a worker so batch commits never carry a checkpoint + fsync.
  const nativeBinding = opts.sqliteNativeBinding ?? sqliteNativeBinding()
  const checkpointer = startWalCheckpointer(core.db, log, { nativeBinding })
  const prefix = opts.runner?.prefix ?? core.config.consumerPrefix ?? core.installId
  const runners = (opts.projectors ?? STREAM_PROJECTORS).map(
    (p) => new StreamRunner(nc, env, core.bus, log.child(p.name), p, { ...opts.runner, prefix }),
  )
  const heartbeats =
    opts.heartbeats === false ? null : new HeartbeatProjector(nc, env, core.bus, log.child('heartbeats'), opts.heartbeats)

  const status = (): ProjectorStatus[] => [...runners.map((r) => r.status()), ...(heartbeats ? [heartbeats.status()] : [])]

  // projector.status: on state changes and at most once per interval while anything moves.
  let lastSent = ''
  let lastAt = 0
  const every = opts.statusEveryMs ?? 1000
  const publish = (force: boolean) => {
    const projectors = status()
    const text = JSON.stringify(projectors)
    if (text === lastSent || (!force && core.now() - lastAt < every)) return
    lastSent = text
    lastAt = core.now()
    core.bus.emit('projector.status', { projectors: projectors.map(statusEventRow) })
  }
  for (const r of runners) r.onStatusChange = () => publish(true)
  const ticker = setInterval(() => publish(false), every)
  ticker.unref()

  for (const r of runners.slice(0, 2)) r.start()
  heartbeats?.start()
  for (const r of runners.slice(2)) r.start()
  log.info(`projectors started: ${runners.map((r) => r.consumer).join(', ')}${heartbeats ? ', heartbeat.>' : ''}`)

  return {
    where: 'in-process',
    status,
    pragma,
    counts: () => ({
      messages: runners.reduce((n, r) => n + r.settled, 0),
      transactions: runners.reduce((n, r) => n + r.transactions, 0),
      heartbeats: heartbeats?.received ?? 0,
    }),
    runners,
    heartbeats,
    manifests,
    async stop() {
      clearInterval(ticker)
      await Promise.all([...runners.map((r) => r.stop()), heartbeats?.stop()])
      manifests.stop()
      await checkpointer?.stop()
    },
  }
}

// The console runs the projectors in their own thread; in-process when the thread cannot run
// (not built, no broker, an in-memory database).
export const projectorsSubsystem: SubsystemFactory = {
  name: 'projectors',
  start: async (core) => (await startProjectionThread(core)) ?? startProjectors(core),
}
