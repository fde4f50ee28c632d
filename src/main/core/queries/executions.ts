import type { Db } from '../db/open'
import type { z } from 'zod'
import type { ExecutionDetail, ExecutionRow } from '../../../shared/api/executions'
import { orderBy, page, ts, Where } from './sql'
import { executionWaves } from './execution-waves'
import { resultStatus } from './results'

// Executions and their per-PC progress. Progress is computed from the result rows (what
// actually arrived), next to the exec row's own counters; waves come from execution-waves.ts.

export interface ExecutionFilter {
  job_id?: string
  status?: string
  sort: string
  limit: number
  offset: number
}

interface ExecutionDbRow {
  exec_id: string
  job_id: string
  version: string
  initiated_by: string
  initiated_at: string | null
  target_count: number
  success_count: number
  failure_count: number
  status: string
}

const COLUMNS =
  'exec_id, job_id, version, initiated_by, initiated_at, target_count, success_count, failure_count, status'

function toExecutionRow(r: ExecutionDbRow): ExecutionRow {
  return { ...r, initiated_at: ts(r.initiated_at) }
}

export function listExecutions(db: Db, f: ExecutionFilter): { items: ExecutionRow[]; total: number } {
  const where = new Where().when(f.job_id, 'job_id = ?', f.job_id).when(f.status, 'status = ?', f.status)
  const { n } = db.prepare(`SELECT COUNT(*) AS n FROM executions ${where.sql}`).get(...where.args) as { n: number }
  const p = page(f.limit, f.offset)
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM executions ${where.sql} ` +
        `${orderBy(f.sort, ['initiated_at', 'job_id', 'status'], 'exec_id')} ${p.sql}`,
    )
    .all(...where.args, ...p.args) as ExecutionDbRow[]
  return { items: rows.map(toExecutionRow), total: n }
}

interface SummaryDbRow {
  result_id: string
  request_id: string
  pc_id: string
  exit_code: number | null
  started_at: string | null
  finished_at: string | null
  recorded_at: string
}

export function getExecution(db: Db, execId: string): z.infer<typeof ExecutionDetail> | null {
  const e = db.prepare(`SELECT ${COLUMNS} FROM executions WHERE exec_id = ?`).get(execId) as ExecutionDbRow | undefined
  if (!e) return null
  const rows = db
    .prepare(
      `SELECT result_id, request_id, pc_id, exit_code, started_at, finished_at, recorded_at
         FROM execution_results WHERE exec_id = ? ORDER BY recorded_at DESC, result_id DESC`,
    )
    .all(execId) as SummaryDbRow[]
  const results = rows.map((r) => ({
    ...r,
    started_at: ts(r.started_at),
    finished_at: ts(r.finished_at),
    recorded_at: ts(r.recorded_at) ?? r.recorded_at,
    status: resultStatus(r),
  }))
  const pcs = new Set(rows.map((r) => r.pc_id))
  const success = results.filter((r) => r.status === 'success').length
  const failure = results.filter((r) => r.status === 'failure').length
  const running = results.length - success - failure
  const done = success + failure
  const plan = executionWaves(db, execId) ?? { wave_mode: false, waves: [], publish_error: null, schedule_id: null }
  return {
    execution: toExecutionRow(e),
    results,
    progress: {
      target_count: e.target_count,
      reported: pcs.size,
      done,
      success,
      failure,
      running,
      pending: Math.max(0, e.target_count - done),
      not_reported: Math.max(0, e.target_count - pcs.size),
    },
    ...plan,
  }
}
