import type { Db } from './db/open'
import { isBusyError } from './db/open'
import type { SubsystemFactory } from './console'
import type { CoreServices, Subsystem } from './services'
import type { Logger } from './log'
import { parseTimestamp, toCanonical } from '../../shared/time'
import { decodeManifest, formatDuration, parseHumantime } from '../../shared/wire'
import { KV } from '../../shared/nats-names'
import type { ExecutionProgress } from '../../shared/events'
import { getJson, openKv } from './nats/kv'
import { subsystem } from './services'
import type { ProjectorsHandle } from './projectors'
import { startPeriodicPass } from './periodic-pass'

// In-flight reaper (issue 10): a run whose start event arrived but whose result never did
// (agent died, outbox lost) would show "running" forever and keep its exec from completing.
// Long after its timeout the row is marked lost: exit_code -1, finished_at = reap time, a
// stderr note, lost = 1, and it counts once as a failure. A real result arriving later still
// wins: the results projector replaces a lost row and moves the counters by
// `lateResultCounterDelta` (so the run is counted exactly once, with its real outcome).

export interface ReaperSettings {
  /** A run with a known timeout is lost after graceFactor × timeout + graceMs from its start. */
  graceFactor: number
  graceMs: number
  /** When the job's timeout is unknown (manifest gone), lost after this long from its start. */
  unknownLostAfterMs: number
  /** Rows examined per transaction. */
  batchRows: number
  intervalMs: number
  firstRunDelayMs: number
}

export const DEFAULT_REAPER: Readonly<ReaperSettings> = Object.freeze({
  graceFactor: 2,
  graceMs: 10 * 60_000,
  unknownLostAfterMs: 60 * 60_000,
  batchRows: 500,
  intervalMs: 5 * 60_000,
  firstRunDelayMs: 30_000,
})

export const LOST_NOTE_PREFIX = 'lost: no result received within'

/** How long after its start a run is declared lost. */
export function lostAfterMs(timeoutMs: number | null, s: ReaperSettings = DEFAULT_REAPER): number {
  if (timeoutMs === null || !Number.isFinite(timeoutMs) || timeoutMs < 0) return s.unknownLostAfterMs
  // Agents apply max(timeout_secs, 1).
  return s.graceFactor * Math.max(timeoutMs, 1000) + s.graceMs
}

export function lostNote(afterMs: number): string {
  return `${LOST_NOTE_PREFIX} ${formatDuration(afterMs)} of its start (marked by kanade-console's reaper; a late result replaces this row)`
}

/**
 * Counter change when a real result replaces a lost row (which already counted one failure):
 * a success moves one from failure to success; a failure leaves the counters as they are.
 */
export function lateResultCounterDelta(exitCode: number): { success: number; failure: number } {
  return exitCode === 0 ? { success: 1, failure: -1 } : { success: 0, failure: 0 }
}

/**
 * Timeout of a job in ms: null when the job is unknown (no manifest); throws when it cannot be
 * told right now (broker down) — such rows are left for a later pass.
 */
export type TimeoutLookup = (jobId: string) => Promise<number | null> | number | null

interface InflightRow {
  result_id: string
  exec_id: string | null
  pc_id: string
  job_id: string | null
  started_at: string
  stderr: string
}

export interface ReapReport {
  reaped: number
  examined: number
  /** Rows left for later because their timeout could not be looked up. */
  deferred: number
  resultIds: string[]
  execIds: string[]
  pcIds: string[]
}

export interface ReapOptions {
  now: number
  timeoutOf: TimeoutLookup
  settings?: ReaperSettings
  shouldStop?: () => boolean
  log?: Logger
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r))

/** One reaper pass over in-flight rows older than the smallest possible deadline. */
export async function reapLostRuns(db: Db, opts: ReapOptions): Promise<ReapReport> {
  const s = opts.settings ?? DEFAULT_REAPER
  const report: ReapReport = { reaped: 0, examined: 0, deferred: 0, resultIds: [], execIds: [], pcIds: [] }
  const cutoff = toCanonical(opts.now - Math.min(lostAfterMs(0, s), s.unknownLostAfterMs))
  // Keyset paging over the in-flight index, oldest first.
  const page = db.prepare(
    `SELECT result_id, exec_id, pc_id, job_id, started_at, stderr FROM execution_results
      WHERE finished_at IS NULL AND exit_code IS NULL AND started_at < ?
        AND (started_at > ? OR (started_at = ? AND result_id > ?))
      ORDER BY started_at, result_id LIMIT ?`,
  )
  const mark = db.prepare(
    `UPDATE execution_results SET exit_code = -1, finished_at = ?, lost = 1,
            stderr = CASE WHEN stderr = '' THEN ? ELSE stderr || char(10) || ? END
      WHERE result_id = ? AND finished_at IS NULL AND exit_code IS NULL`,
  )
  // Same rule as the results projector: no status guard except a failed publish, which stays failed.
  const count = db.prepare(
    `UPDATE executions SET failure_count = failure_count + 1,
            status = CASE WHEN status = 'failed' THEN status
                          WHEN success_count + failure_count + 1 >= target_count THEN 'completed'
                          ELSE 'running' END
      WHERE exec_id = ?`,
  )
  const timeouts = new Map<string, number | null | 'unknown-now'>()
  const timeoutFor = async (jobId: string | null): Promise<number | null | 'unknown-now'> => {
    if (!jobId) return null
    if (!timeouts.has(jobId)) {
      try {
        timeouts.set(jobId, await opts.timeoutOf(jobId))
      } catch (e) {
        opts.log?.debug(`reaper: timeout of job ${jobId} unknown for now`, e)
        timeouts.set(jobId, 'unknown-now')
      }
    }
    return timeouts.get(jobId)!
  }
  const execs = new Set<string>()
  const pcs = new Set<string>()
  let after = { started_at: '', result_id: '' }
  while (!opts.shouldStop?.()) {
    const rows = page.all(cutoff, after.started_at, after.started_at, after.result_id, s.batchRows) as InflightRow[]
    if (rows.length === 0) break
    after = rows[rows.length - 1]
    report.examined += rows.length
    const due: { row: InflightRow; afterMs: number }[] = []
    for (const row of rows) {
      const started = parseTimestamp(row.started_at)
      const timeout = await timeoutFor(row.job_id)
      if (timeout === 'unknown-now') {
        report.deferred++
        continue
      }
      const afterMs = lostAfterMs(timeout, s)
      // An unreadable started_at can never finish on its own either: treat it as very old.
      if (started === null || opts.now - started > afterMs) due.push({ row, afterMs })
    }
    if (due.length) {
      const finishedAt = toCanonical(opts.now)
      try {
        db.transaction(() => {
          for (const { row, afterMs } of due) {
            const note = lostNote(afterMs)
            if (mark.run(finishedAt, note, note, row.result_id).changes === 0) continue // a result won the race
            report.reaped++
            report.resultIds.push(row.result_id)
            pcs.add(row.pc_id)
            if (row.exec_id) {
              count.run(row.exec_id)
              execs.add(row.exec_id)
            }
          }
        })()
      } catch (e) {
        if (!isBusyError(e)) throw e
        opts.log?.warn('reaper: database busy, retrying next pass')
        break
      }
    }
    if (rows.length < s.batchRows) break
    await yieldToLoop()
  }
  report.execIds = [...execs]
  report.pcIds = [...pcs]
  return report
}

/** Timeout lookup from the `jobs` KV bucket (the manifest's `execute.timeout`). */
export function kvTimeoutLookup(core: CoreServices): TimeoutLookup {
  let kvP: ReturnType<typeof openKv> | null = null
  return async (jobId) => {
    if (!core.nats) throw new Error('no broker connection')
    kvP ??= openKv(core.nats.nc, KV.jobs)
    let entry
    try {
      entry = await getJson(await kvP, jobId)
    } catch (e) {
      kvP = null // bind again next time (bucket created later, broker back)
      throw e
    }
    if (!entry) return null
    try {
      return parseHumantime(decodeManifest(entry.value).execute.timeout)
    } catch {
      return null // a manifest that does not decode has no usable timeout
    }
  }
}

export interface ReaperHandle extends Subsystem {
  settings: ReaperSettings
  lastReport: ReapReport | null
  lastError: string | null
  runNow(): Promise<ReapReport | null>
}

export function startReaper(
  core: CoreServices,
  opts: { settings?: Partial<ReaperSettings>; timeoutOf?: TimeoutLookup } = {},
): ReaperHandle {
  const log = core.log.child('reaper')
  const settings = { ...DEFAULT_REAPER, ...opts.settings }
  const timeoutOf = opts.timeoutOf ?? kvTimeoutLookup(core)
  const pass = startPeriodicPass<ReapReport>({
    name: 'reaper',
    log,
    firstRunDelayMs: settings.firstRunDelayMs,
    intervalMs: settings.intervalMs,
    async pass(shouldStop) {
      const behind = projectionBehind(core)
      if (behind) {
        // Results may be waiting in the stream (catch-up after a restart): reap later.
        log.debug(`reaper pass skipped: ${behind}`)
        return null
      }
      return reapLostRuns(core.db, { now: core.now(), timeoutOf, settings, shouldStop, log })
    },
    onReport(r) {
      if (r.reaped) {
        log.info(`marked ${r.reaped} runs lost`)
        core.bus.emit('results.changed', { result_ids: r.resultIds, exec_ids: r.execIds, pc_ids: r.pcIds })
        emitProgress(core, r.execIds)
      }
    },
  })
  return Object.assign(pass, { settings })
}

/** Backlog above which the reaper waits: a result still in the stream must not be reaped. */
export const REAPER_MAX_BACKLOG = 1000

/** Why reaping should wait (the results or events projector is not caught up), or null. */
export function projectionBehind(core: CoreServices): string | null {
  const projectors = subsystem<ProjectorsHandle>(core, 'projectors')
  if (!projectors) return null
  for (const s of projectors.status()) {
    if (s.name !== 'results' && s.name !== 'events') continue
    if (s.state !== 'running') return `${s.name} projector is ${s.state}`
    if (s.pending > REAPER_MAX_BACKLOG) return `${s.name} projector has ${s.pending} messages pending`
  }
  return null
}

function emitProgress(core: CoreServices, execIds: string[]): void {
  const get = core.db.prepare(
    'SELECT exec_id, job_id, status, target_count, success_count, failure_count FROM executions WHERE exec_id = ?',
  )
  for (const id of execIds) {
    const row = get.get(id) as ExecutionProgress | undefined
    if (row) core.bus.emit('execution.progress', row)
  }
}

export const reaperSubsystem: SubsystemFactory = {
  name: 'reaper',
  async start(core) {
    return startReaper(core)
  },
}
