import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDb } from '../../helpers/db'
import type { Db } from '../../../src/main/core/db/open'
import {
  DEFAULT_REAPER,
  LOST_NOTE_PREFIX,
  lateResultCounterDelta,
  lostAfterMs,
  projectionBehind,
  reapLostRuns,
} from '../../../src/main/core/reaper'

const MIN = 60_000
const NOW = Date.parse('2026-06-01T12:00:00.000Z')
const minsAgo = (m: number) => new Date(NOW - m * MIN).toISOString()

let t: ReturnType<typeof tempDb>
let db: Db
beforeEach(() => {
  t = tempDb()
  db = t.db
})
afterEach(() => t.cleanup())

function inflight(id: string, startedMinsAgo: number, job: string | null, exec: string | null = 'e1', stderr = '') {
  db.prepare(
    `INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, stderr, started_at, recorded_at, job_id)
     VALUES (?, 'req', ?, ?, ?, ?, ?, ?)`,
  ).run(id, exec, `pc-${id}`, stderr, minsAgo(startedMinsAgo), minsAgo(startedMinsAgo), job)
}
function exec(id: string, target: number, success = 0, failure = 0, status = 'running') {
  db.prepare(
    `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count, success_count, failure_count, status)
     VALUES (?, 'job', '1', 'operator', ?, ?, ?, ?, ?)`,
  ).run(id, minsAgo(600), target, success, failure, status)
}
const row = (id: string) =>
  db.prepare('SELECT exit_code, finished_at, stderr, lost FROM execution_results WHERE result_id = ?').get(id) as {
    exit_code: number | null
    finished_at: string | null
    stderr: string
    lost: number
  }
const execRow = (id: string) =>
  db.prepare('SELECT success_count, failure_count, status FROM executions WHERE exec_id = ?').get(id) as {
    success_count: number
    failure_count: number
    status: string
  }

const timeouts: Record<string, number> = { fast: 5 * MIN, slow: 120 * MIN }
const lookup = (job: string) => timeouts[job] ?? null

describe('lostAfterMs', () => {
  it('is 2 × timeout + 10 min, or 1 h when the timeout is unknown', () => {
    expect(lostAfterMs(5 * MIN)).toBe(20 * MIN)
    expect(lostAfterMs(null)).toBe(60 * MIN)
    expect(lostAfterMs(0)).toBe(2000 + 10 * MIN) // agents run at least 1 s
  })
})

describe('reapLostRuns', () => {
  it('marks only runs past their deadline: exit -1, finished_at, note, lost flag', async () => {
    exec('e1', 10)
    inflight('due-fast', 21, 'fast') // 5 min timeout → lost after 20 min
    inflight('young-fast', 19, 'fast')
    inflight('long-slow', 200, 'slow') // 120 min timeout → lost after 250 min
    inflight('due-slow', 251, 'slow')
    inflight('due-unknown', 61, 'gone') // no manifest → 1 h
    inflight('young-unknown', 59, 'gone')
    const r = await reapLostRuns(db, { now: NOW, timeoutOf: lookup })
    expect(r.reaped).toBe(3)
    expect(r.resultIds.sort()).toEqual(['due-fast', 'due-slow', 'due-unknown'])
    expect(row('due-fast')).toEqual({
      exit_code: -1,
      finished_at: new Date(NOW).toISOString(),
      stderr: `${LOST_NOTE_PREFIX} 20m of its start (marked by kanade-console's reaper; a late result replaces this row)`,
      lost: 1,
    })
    for (const id of ['young-fast', 'long-slow', 'young-unknown']) expect(row(id)).toMatchObject({ exit_code: null, finished_at: null, lost: 0 })
    expect(execRow('e1')).toEqual({ success_count: 0, failure_count: 3, status: 'running' })
  })

  it('appends the note to partial stderr and counts a reaped run once, completing the exec', async () => {
    exec('e2', 2, 1, 0)
    inflight('x', 120, 'fast', 'e2', 'partial output')
    await reapLostRuns(db, { now: NOW, timeoutOf: lookup })
    expect(row('x').stderr).toMatch(/^partial output\nlost: no result received within 20m/)
    expect(execRow('e2')).toEqual({ success_count: 1, failure_count: 1, status: 'completed' })
    // A second pass finds nothing more to do: the row is no longer in flight.
    const again = await reapLostRuns(db, { now: NOW + 60 * MIN, timeoutOf: lookup })
    expect(again.reaped).toBe(0)
    expect(execRow('e2')).toEqual({ success_count: 1, failure_count: 1, status: 'completed' })
  })

  it('never touches a finished row, an ad-hoc row has no counters, a failed exec stays failed', async () => {
    exec('e3', 5, 0, 0, 'failed')
    db.prepare(
      `INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, exit_code, started_at, finished_at, recorded_at)
       VALUES ('done', 'req', 'e3', 'pc', 0, ?, ?, ?)`,
    ).run(minsAgo(500), minsAgo(499), minsAgo(500))
    inflight('adhoc', 500, null, null)
    inflight('f', 500, 'fast', 'e3')
    const r = await reapLostRuns(db, { now: NOW, timeoutOf: lookup })
    expect(r.reaped).toBe(2)
    expect(row('done')).toMatchObject({ exit_code: 0, lost: 0 })
    expect(row('adhoc')).toMatchObject({ exit_code: -1, lost: 1 })
    expect(execRow('e3')).toEqual({ success_count: 0, failure_count: 1, status: 'failed' })
  })

  it('leaves rows alone while their timeout cannot be looked up (broker down)', async () => {
    exec('e1', 3)
    inflight('a', 500, 'fast')
    inflight('b', 500, null) // no job id → unknown timeout, no lookup needed
    const r = await reapLostRuns(db, {
      now: NOW,
      timeoutOf: () => {
        throw new Error('no broker connection')
      },
    })
    expect(r).toMatchObject({ reaped: 1, deferred: 1 })
    expect(row('a').lost).toBe(0)
    expect(row('b').lost).toBe(1)
  })

  it('pages through many in-flight rows, including ones not yet due', async () => {
    exec('e1', 5000)
    db.transaction(() => {
      for (let i = 0; i < 1200; i++) inflight(`s${i}`, 200, 'slow') // not due (250 min)
      for (let i = 0; i < 700; i++) inflight(`f${i}`, 30, 'fast') // due
    })()
    const r = await reapLostRuns(db, { now: NOW, timeoutOf: lookup, settings: { ...DEFAULT_REAPER, batchRows: 100 } })
    expect(r.examined).toBe(1900)
    expect(r.reaped).toBe(700)
    expect(execRow('e1').failure_count).toBe(700)
  })
})

describe('lateResultCounterDelta', () => {
  it('moves one failure to success for a successful late result, nothing otherwise', () => {
    expect(lateResultCounterDelta(0)).toEqual({ success: 1, failure: -1 })
    expect(lateResultCounterDelta(1)).toEqual({ success: 0, failure: 0 })
    expect(lateResultCounterDelta(-1)).toEqual({ success: 0, failure: 0 })
  })
})

describe('projectionBehind', () => {
  const coreWith = (statuses: { name: string; state: string; pending: number }[] | null) =>
    ({
      subsystems: new Map(statuses ? [['projectors', { status: () => statuses, stop: async () => {} }]] : []),
    }) as unknown as Parameters<typeof projectionBehind>[0]

  it('waits while the results or events projector is behind or not running', () => {
    expect(projectionBehind(coreWith(null))).toBeNull()
    expect(projectionBehind(coreWith([{ name: 'results', state: 'running', pending: 3 }]))).toBeNull()
    expect(projectionBehind(coreWith([{ name: 'audit', state: 'restarting', pending: 9e6 }]))).toBeNull()
    expect(projectionBehind(coreWith([{ name: 'results', state: 'running', pending: 50_000 }]))).toMatch(/results projector has 50000/)
    expect(projectionBehind(coreWith([{ name: 'events', state: 'restarting', pending: 0 }]))).toMatch(/events projector is restarting/)
  })
})
