import type { Db } from './db/open'
import { isBusyError } from './db/open'
import type { SubsystemFactory } from './console'
import type { CoreServices, Subsystem } from './services'
import type { Logger } from './log'
import { toCanonical } from '../../shared/time'
import { DEFAULT_MAX_OUTPUT_BYTES } from './output-cap'
import { startPeriodicPass } from './periodic-pass'

export { capOutput, capResultOutput, DEFAULT_MAX_OUTPUT_BYTES } from './output-cap'

// Retention (issue 10): old rows are deleted in small batches, each its own short
// transaction, with a turn of the event loop between batches, so the window and the
// projectors never wait long. Freed pages are handed back to the OS by incremental vacuum.
//
// VACUUM policy: `auto_vacuum` can only change before the first table exists or through a
// full VACUUM. At start, a database still in auto_vacuum=NONE that is small (a fresh one, or
// under VACUUM_CONVERT_MAX_BYTES) is switched to INCREMENTAL with one VACUUM, which takes
// milliseconds at that size. A larger legacy file stays NONE: SQLite reuses its freed pages, so
// the file stops growing at its high-water mark; `kanade-console` never runs a full VACUUM on
// its own because it rewrites the whole file while holding the database. After each retention
// pass, INCREMENTAL databases release free pages in slices sized to the same time budget.

const DAY_MS = 86_400_000

export interface RetentionSettings {
  /** Days to keep execution_results rows (by recorded_at); 0 = forever. */
  resultsDays: number
  /** Days to keep executions rows (by initiated_at) and their finished wave publishes; 0 = forever. */
  executionsDays: number
  /** Days to keep audit_log rows (by occurred_at); 0 = forever. */
  auditDays: number
  /** Days to keep dead_letters rows (by created_at); 0 = forever. */
  deadLettersDays: number
  /** Cap per stream (stdout, stderr) of a stored result, in UTF-8 bytes. */
  maxOutputBytes: number
  /** Most rows deleted per transaction (batches are sized to batchBudgetMs, up to this). */
  batchRows: number
  /** Time one delete transaction or vacuum slice aims at; the next one is sized from it. */
  batchBudgetMs: number
  /** Period of the retention pass. */
  intervalMs: number
  /** Delay of the first pass after start. */
  firstRunDelayMs: number
}

export const DEFAULT_RETENTION: Readonly<RetentionSettings> = Object.freeze({
  resultsDays: 90,
  executionsDays: 90,
  auditDays: 365,
  deadLettersDays: 30,
  maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
  batchRows: 2000,
  batchBudgetMs: 25,
  intervalMs: 3_600_000,
  firstRunDelayMs: 60_000,
})

/** Where each setting can be overridden: `console_settings` key and environment variable. */
const SETTING_KEYS: { field: keyof RetentionSettings; key: string; env: string }[] = [
  { field: 'resultsDays', key: 'retention.results_days', env: 'KANADE_RETENTION_RESULTS_DAYS' },
  { field: 'executionsDays', key: 'retention.executions_days', env: 'KANADE_RETENTION_EXECUTIONS_DAYS' },
  { field: 'auditDays', key: 'retention.audit_days', env: 'KANADE_RETENTION_AUDIT_DAYS' },
  { field: 'deadLettersDays', key: 'retention.dead_letters_days', env: 'KANADE_RETENTION_DEAD_LETTERS_DAYS' },
  { field: 'maxOutputBytes', key: 'retention.max_output_bytes', env: 'KANADE_MAX_OUTPUT_BYTES' },
]

/** Defaults, overridden by `console_settings` rows, overridden by the environment.
 *  An invalid value is reported in `warnings` and the default kept. */
export function loadRetentionSettings(
  db: Db,
  env: NodeJS.ProcessEnv = process.env,
): { settings: RetentionSettings; warnings: string[] } {
  const settings: RetentionSettings = { ...DEFAULT_RETENTION }
  const warnings: string[] = []
  const stored = new Map(
    (db.prepare("SELECT key, value FROM console_settings WHERE key LIKE 'retention.%'").all() as {
      key: string
      value: string
    }[]).map((r) => [r.key, r.value]),
  )
  for (const s of SETTING_KEYS) {
    for (const [source, value] of [
      [`console_settings ${s.key}`, stored.get(s.key)],
      [s.env, env[s.env]],
    ] as const) {
      if (value === undefined || value.trim() === '') continue
      const n = Number(value)
      const min = s.field === 'maxOutputBytes' ? 1024 : 0
      if (!Number.isInteger(n) || n < min) {
        warnings.push(`${source}: "${value}" is not a whole number ≥ ${min}; keeping ${settings[s.field]}`)
        continue
      }
      settings[s.field] = n
    }
  }
  return { settings, warnings }
}

interface Rule {
  table: string
  column: string
  days: (s: RetentionSettings) => number
  /** Extra condition: rows still needed are never deleted. */
  where?: string
}

// Order: children before parents, so a half-finished pass leaves no orphan worth keeping.
const RULES: Rule[] = [
  { table: 'execution_results', column: 'recorded_at', days: (s) => s.resultsDays },
  { table: 'pending_wave_publishes', column: 'created_at', days: (s) => s.executionsDays, where: "status <> 'pending'" },
  { table: 'executions', column: 'initiated_at', days: (s) => s.executionsDays },
  { table: 'audit_log', column: 'occurred_at', days: (s) => s.auditDays },
  { table: 'dead_letters', column: 'created_at', days: (s) => s.deadLettersDays },
]

export interface RetentionReport {
  startedAt: string
  finishedAt: string
  /** Rows deleted per table. */
  deleted: Record<string, number>
  /** Pages released by incremental vacuum. */
  vacuumedPages: number
  /** Longest single delete transaction or vacuum slice, in ms (what the event loop waited at most). */
  longestBatchMs: number
  batches: number
  /** False when the pass stopped early (stop requested). */
  complete: boolean
}

export interface RetentionRunOptions {
  now?: number
  /** Checked between batches; returning true ends the pass early. */
  shouldStop?: () => boolean
  log?: Logger
}

const VACUUM_PAGES_MIN = 32
const VACUUM_PAGES_MAX = 4000
/** Rows in the first delete batch of a table; later ones are sized to the budget. */
const FIRST_BATCH_ROWS = 200
const MIN_BATCH_ROWS = 20

/** Next size for a step that took `ms` at size `n`: aim at the budget, change at most ×2 / ÷4. */
function resize(n: number, ms: number, budgetMs: number, min: number, max: number): number {
  const factor = Math.min(2, Math.max(0.25, budgetMs / Math.max(ms, 0.05)))
  return Math.max(min, Math.min(max, Math.floor(n * factor)))
}
/** Only bother releasing space once at least this many pages are free. */
const VACUUM_MIN_FREE_PAGES = 256
export const VACUUM_CONVERT_MAX_BYTES = 64 * 1024 * 1024

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r))

function tableExists(db: Db, table: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)
}

/** One retention pass: batched deletes of every table past its age, then incremental vacuum. */
export async function runRetention(db: Db, settings: RetentionSettings, opts: RetentionRunOptions = {}): Promise<RetentionReport> {
  const now = opts.now ?? Date.now()
  const report: RetentionReport = {
    startedAt: toCanonical(Date.now()),
    finishedAt: '',
    deleted: {},
    vacuumedPages: 0,
    longestBatchMs: 0,
    batches: 0,
    complete: true,
  }
  const maxBatch = Math.max(1, settings.batchRows)
  let batch = Math.min(maxBatch, FIRST_BATCH_ROWS)
  const stop = () => opts.shouldStop?.() ?? false

  for (const rule of RULES) {
    const days = rule.days(settings)
    if (days <= 0 || !tableExists(db, rule.table)) continue
    const cutoff = toCanonical(now - days * DAY_MS)
    const extra = rule.where ? ` AND ${rule.where}` : ''
    // rowid subquery with LIMIT: SQLite's DELETE … LIMIT is a compile-time option.
    const del = db.prepare(
      `DELETE FROM ${rule.table} WHERE rowid IN ` +
        `(SELECT rowid FROM ${rule.table} WHERE ${rule.column} < ?${extra} LIMIT ?)`,
    )
    let total = 0
    for (;;) {
      if (stop()) {
        report.complete = false
        break
      }
      const t0 = performance.now()
      let changes: number
      try {
        changes = db.transaction(() => del.run(cutoff, batch).changes)()
      } catch (e) {
        // Another writer holds the database: wait a turn and try again on the next pass.
        if (isBusyError(e)) {
          opts.log?.warn(`retention: ${rule.table} busy, retrying next pass`)
          report.complete = false
          break
        }
        throw e
      }
      const ms = performance.now() - t0
      report.batches++
      report.longestBatchMs = Math.max(report.longestBatchMs, ms)
      total += changes
      const asked = batch
      batch = resize(batch, ms, settings.batchBudgetMs, Math.min(MIN_BATCH_ROWS, maxBatch), maxBatch)
      if (changes < asked) break
      await yieldToLoop()
    }
    if (total) report.deleted[rule.table] = total
    await yieldToLoop()
  }
  if (!stop()) {
    const v = await releaseFreePages(db, stop, settings.batchBudgetMs)
    report.vacuumedPages = v.pages
    report.longestBatchMs = Math.max(report.longestBatchMs, v.longestMs)
  }
  report.finishedAt = toCanonical(Date.now())
  return report
}

/** Incremental vacuum in slices sized to the budget, yielding between them; no-op unless
 *  auto_vacuum=INCREMENTAL. Returns the pages released and the longest slice. */
export async function releaseFreePages(
  db: Db,
  shouldStop: () => boolean = () => false,
  budgetMs = DEFAULT_RETENTION.batchBudgetMs,
): Promise<{ pages: number; longestMs: number }> {
  const out = { pages: 0, longestMs: 0 }
  if (Number(db.pragma('auto_vacuum', { simple: true })) !== 2) return out
  let step = 256
  while (!shouldStop()) {
    const free = Number(db.pragma('freelist_count', { simple: true }))
    if (free < (out.pages ? 1 : VACUUM_MIN_FREE_PAGES)) break
    const t0 = performance.now()
    db.pragma(`incremental_vacuum(${step})`)
    const ms = performance.now() - t0
    out.longestMs = Math.max(out.longestMs, ms)
    out.pages += Math.min(free, step)
    step = resize(step, ms, budgetMs, VACUUM_PAGES_MIN, VACUUM_PAGES_MAX)
    await yieldToLoop()
  }
  return out
}

/**
 * Switch a small auto_vacuum=NONE database to INCREMENTAL (one VACUUM; milliseconds on a
 * fresh file). Returns the mode in force afterwards: 'incremental', 'full', or 'none' when the
 * file is too large to rewrite without stalling the console.
 */
export function ensureIncrementalVacuum(db: Db, maxBytes = VACUUM_CONVERT_MAX_BYTES): 'none' | 'full' | 'incremental' {
  const mode = Number(db.pragma('auto_vacuum', { simple: true }))
  if (mode === 2) return 'incremental'
  if (mode === 1) return 'full'
  const size = Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }))
  if (size > maxBytes) return 'none'
  db.pragma('auto_vacuum = INCREMENTAL')
  db.exec('VACUUM')
  return Number(db.pragma('auto_vacuum', { simple: true })) === 2 ? 'incremental' : 'none'
}

export interface RetentionHandle extends Subsystem {
  settings: RetentionSettings
  vacuumMode: 'none' | 'full' | 'incremental'
  lastReport: RetentionReport | null
  lastError: string | null
  /** Run a pass now (the periodic one is skipped while it runs). */
  runNow(): Promise<RetentionReport | null>
}

/** Start the periodic pass on a running core: first shortly after start, then every interval. */
export function startRetention(core: CoreServices, overrides: Partial<RetentionSettings> = {}): RetentionHandle {
  const log = core.log.child('retention')
  const loaded = loadRetentionSettings(core.db)
  for (const w of loaded.warnings) log.warn(w)
  const settings = { ...loaded.settings, ...overrides }
  let vacuumMode: RetentionHandle['vacuumMode'] = 'none'
  try {
    vacuumMode = ensureIncrementalVacuum(core.db)
    if (vacuumMode === 'none') log.info('auto_vacuum stays NONE on this large database: freed pages are reused, the file does not shrink')
  } catch (e) {
    log.warn('could not switch the database to incremental vacuum', e)
  }
  const pass = startPeriodicPass<RetentionReport>({
    name: 'retention',
    log,
    firstRunDelayMs: settings.firstRunDelayMs,
    intervalMs: settings.intervalMs,
    pass: (shouldStop) => runRetention(core.db, settings, { now: core.now(), shouldStop, log }),
    onReport(r) {
      const n = Object.values(r.deleted).reduce((a, b) => a + b, 0)
      if (n) log.info(`deleted ${n} old rows`, r.deleted)
    },
  })
  return Object.assign(pass, { settings, vacuumMode })
}

export const retentionSubsystem: SubsystemFactory = {
  name: 'retention',
  async start(core) {
    return startRetention(core)
  },
}
