import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDb } from '../../helpers/db'
import type { Db } from '../../../src/main/core/db/open'
import {
  DEFAULT_RETENTION,
  ensureIncrementalVacuum,
  loadRetentionSettings,
  releaseFreePages,
  runRetention,
  startRetention,
} from '../../../src/main/core/retention'
import { EventBus } from '../../../src/main/core/bus'
import { silentLogger } from '../../../src/main/core/log'

const DAY = 86_400_000
const NOW = Date.parse('2026-06-01T00:00:00.000Z')
const ago = (days: number) => new Date(NOW - days * DAY).toISOString()

let t: ReturnType<typeof tempDb>
let db: Db
beforeEach(() => {
  t = tempDb()
  db = t.db
})
afterEach(() => t.cleanup())

function seed(counts: { results: [number, number]; audit: [number, number]; dead: [number, number]; execs: [number, number] }) {
  const res = db.prepare(
    `INSERT INTO execution_results (result_id, request_id, pc_id, exit_code, started_at, finished_at, recorded_at)
     VALUES (?, 'r', 'pc', 0, ?, ?, ?)`,
  )
  const aud = db.prepare('INSERT INTO audit_log (actor, action, occurred_at) VALUES (?, ?, ?)')
  const dl = db.prepare(
    `INSERT INTO dead_letters (projector, stream, subject, payload, error, created_at) VALUES ('results', 'RESULTS', 's', x'00', 'e', ?)`,
  )
  const ex = db.prepare(
    `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count) VALUES (?, 'j', '1', 'op', ?, 1)`,
  )
  db.transaction(() => {
    const [oldR, newR] = counts.results
    for (let i = 0; i < oldR; i++) res.run(`old-${i}`, ago(100), ago(100), ago(91))
    for (let i = 0; i < newR; i++) res.run(`new-${i}`, ago(10), ago(10), ago(89))
    for (let i = 0; i < counts.audit[0]; i++) aud.run('a', 'exec', ago(366))
    for (let i = 0; i < counts.audit[1]; i++) aud.run('a', 'exec', ago(364))
    for (let i = 0; i < counts.dead[0]; i++) dl.run(ago(31))
    for (let i = 0; i < counts.dead[1]; i++) dl.run(ago(29))
    for (let i = 0; i < counts.execs[0]; i++) ex.run(`eo-${i}`, ago(91))
    for (let i = 0; i < counts.execs[1]; i++) ex.run(`en-${i}`, ago(89))
  })()
}

const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

describe('runRetention', () => {
  it('deletes exactly the rows past each default age and keeps the rest', async () => {
    seed({ results: [250, 40], audit: [30, 7], dead: [12, 3], execs: [20, 5] })
    const r = await runRetention(db, { ...DEFAULT_RETENTION, batchRows: 100 }, { now: NOW })
    expect(r.deleted).toEqual({ execution_results: 250, executions: 20, audit_log: 30, dead_letters: 12 })
    expect(r.complete).toBe(true)
    expect([count('execution_results'), count('executions'), count('audit_log'), count('dead_letters')]).toEqual([40, 5, 7, 3])
    expect((db.prepare("SELECT count(*) AS n FROM execution_results WHERE result_id LIKE 'old-%'").get() as { n: number }).n).toBe(0)
  })

  it('keeps everything for a table whose retention is 0 (forever)', async () => {
    seed({ results: [10, 0], audit: [10, 0], dead: [10, 0], execs: [0, 0] })
    const r = await runRetention(db, { ...DEFAULT_RETENTION, auditDays: 0, resultsDays: 0 }, { now: NOW })
    expect(r.deleted).toEqual({ dead_letters: 10 })
    expect(count('audit_log')).toBe(10)
    expect(count('execution_results')).toBe(10)
  })

  it('deletes in batches and lets the event loop run between them', async () => {
    seed({ results: [1000, 0], audit: [0, 0], dead: [0, 0], execs: [0, 0] })
    let ticks = 0
    let ticking = true
    const tick = () => {
      ticks++
      if (ticking) setImmediate(tick)
    }
    setImmediate(tick)
    const r = await runRetention(db, { ...DEFAULT_RETENTION, batchRows: 100 }, { now: NOW })
    ticking = false
    expect(r.deleted.execution_results).toBe(1000)
    expect(r.batches).toBeGreaterThanOrEqual(10)
    // Every batch boundary gave the loop a turn.
    expect(ticks).toBeGreaterThanOrEqual(10)
  })

  it('sizes batches to the time budget: small first, up to batchRows when deletes are fast', async () => {
    seed({ results: [3000, 0], audit: [0, 0], dead: [0, 0], execs: [0, 0] })
    const fast = await runRetention(db, { ...DEFAULT_RETENTION, batchRows: 1000, batchBudgetMs: 1e9 }, { now: NOW })
    // 200 first, then doubling up to the cap: 200 + 400 + 800 + 1000 + 600 (last, short).
    expect(fast.batches).toBe(5 + 4) // and one (empty) batch for each of the four other tables
    expect(fast.deleted.execution_results).toBe(3000)
  })

  it('stops between batches when asked and finishes on the next pass', async () => {
    seed({ results: [500, 0], audit: [0, 0], dead: [0, 0], execs: [0, 0] })
    let calls = 0
    // A huge budget keeps every batch at 100 rows, whatever the machine's speed.
    const fixed = { ...DEFAULT_RETENTION, batchRows: 100, batchBudgetMs: 1e9 }
    const r = await runRetention(db, fixed, { now: NOW, shouldStop: () => ++calls > 2 })
    expect(r.complete).toBe(false)
    expect(count('execution_results')).toBe(300)
    await runRetention(db, fixed, { now: NOW })
    expect(count('execution_results')).toBe(0)
  })

  it('keeps wave publishes that are still pending', async () => {
    const w = db.prepare(
      `INSERT INTO pending_wave_publishes (exec_id, wave_index, subject, command_json, due_at, status, created_at) VALUES (?, 0, 's', '{}', ?, ?, ?)`,
    )
    w.run('a', ago(100), 'pending', ago(100))
    w.run('b', ago(100), 'published', ago(100))
    w.run('c', ago(1), 'published', ago(1))
    const r = await runRetention(db, DEFAULT_RETENTION, { now: NOW })
    expect(r.deleted.pending_wave_publishes).toBe(1)
    expect(db.prepare('SELECT exec_id FROM pending_wave_publishes ORDER BY exec_id').pluck().all()).toEqual(['a', 'c'])
  })
})

describe('vacuum policy', () => {
  it('switches a fresh database to incremental vacuum and gives freed pages back', async () => {
    expect(Number(db.pragma('auto_vacuum', { simple: true }))).toBe(0)
    expect(ensureIncrementalVacuum(db)).toBe('incremental')
    const big = 'z'.repeat(4000)
    const ins = db.prepare(
      `INSERT INTO execution_results (result_id, request_id, pc_id, stdout, started_at, recorded_at) VALUES (?, 'r', 'pc', ?, ?, ?)`,
    )
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run(`r${i}`, big, ago(100), ago(100))
    })()
    const before = Number(db.pragma('page_count', { simple: true }))
    const r = await runRetention(db, DEFAULT_RETENTION, { now: NOW })
    expect(r.deleted.execution_results).toBe(2000)
    expect(r.vacuumedPages).toBeGreaterThan(1000)
    const after = Number(db.pragma('page_count', { simple: true }))
    expect(after).toBeLessThan(before / 4)
    expect((await releaseFreePages(db)).pages).toBe(0) // nothing left to release
  })

  it('leaves a large NONE database alone', () => {
    expect(ensureIncrementalVacuum(db, 1)).toBe('none')
    expect(Number(db.pragma('auto_vacuum', { simple: true }))).toBe(0)
  })
})

describe('loadRetentionSettings', () => {
  it('uses the defaults: results/executions 90 d, audit 365 d, dead letters 30 d, 1 MiB output', () => {
    const { settings, warnings } = loadRetentionSettings(db, {})
    expect(settings).toMatchObject({ resultsDays: 90, executionsDays: 90, auditDays: 365, deadLettersDays: 30, maxOutputBytes: 1048576 })
    expect(warnings).toEqual([])
  })

  it('takes console_settings, then the environment, and reports bad values', () => {
    db.prepare("INSERT INTO console_settings (key, value) VALUES ('retention.audit_days', '730'), ('retention.results_days', '7'), ('retention.dead_letters_days', 'soon')").run()
    const { settings, warnings } = loadRetentionSettings(db, { KANADE_RETENTION_RESULTS_DAYS: '14', KANADE_MAX_OUTPUT_BYTES: '10' })
    expect(settings.auditDays).toBe(730)
    expect(settings.resultsDays).toBe(14)
    expect(settings.deadLettersDays).toBe(30)
    expect(settings.maxOutputBytes).toBe(1048576)
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(/retention.dead_letters_days.*"soon"/)
    expect(warnings[1]).toMatch(/KANADE_MAX_OUTPUT_BYTES/)
  })
})

describe('retention subsystem', () => {
  const coreOn = (database: Db) =>
    ({
      db: database,
      log: silentLogger,
      now: () => NOW,
      bus: new EventBus(),
      subsystems: new Map(),
    }) as unknown as Parameters<typeof startRetention>[0]

  it('switches a fresh database to incremental vacuum, runs one pass at a time, and stops cleanly', async () => {
    seed({ results: [300, 5], audit: [0, 0], dead: [0, 0], execs: [0, 0] })
    const handle = startRetention(coreOn(db), { firstRunDelayMs: 3_600_000, batchRows: 50 })
    expect(handle.vacuumMode).toBe('incremental')
    const a = handle.runNow()
    const b = handle.runNow()
    expect(b).toBe(a) // a second request joins the pass under way
    const report = await a
    expect(report?.deleted).toEqual({ execution_results: 300 })
    expect(handle.lastReport).toBe(report)
    await handle.stop()
    expect(count('execution_results')).toBe(5)
  })
})
