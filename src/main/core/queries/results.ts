import type { Db } from '../db/open'
import type { ResultRow, ResultStatus } from '../../../shared/api/results'
import { RESULT_SORT } from '../../../shared/api/results'
import { likeContains, orderBy, page, ts, Where } from './sql'

// Results (execution_results). kanade's status filters: success → exit_code = 0; failure →
// exit_code set and non-zero; running → finished_at IS NULL.

export interface ResultFilter {
  pc_id?: string
  status?: ResultStatus
  since?: string
  until?: string
  job_id?: string
  exec_id?: string
  q?: string
  sort: string
  limit: number
  offset: number
}

export interface ResultDbRow {
  result_id: string
  request_id: string
  exec_id: string | null
  pc_id: string
  exit_code: number | null
  stdout: string
  stderr: string
  started_at: string | null
  finished_at: string | null
  recorded_at: string
  job_id: string | null
  version: string | null
}

const STATUS_SQL: Record<ResultStatus, string> = {
  success: 'exit_code = 0',
  failure: 'exit_code IS NOT NULL AND exit_code <> 0',
  running: 'finished_at IS NULL',
}

export function resultStatus(r: { exit_code: number | null; finished_at: string | null }): ResultStatus {
  if (r.finished_at === null || r.exit_code === null) return 'running'
  return r.exit_code === 0 ? 'success' : 'failure'
}

export function toResultRow(r: ResultDbRow): ResultRow {
  return {
    result_id: r.result_id,
    request_id: r.request_id,
    exec_id: r.exec_id,
    pc_id: r.pc_id,
    exit_code: r.exit_code,
    stdout: r.stdout,
    stderr: r.stderr,
    started_at: ts(r.started_at),
    finished_at: ts(r.finished_at),
    job_id: r.job_id,
    version: r.version,
    recorded_at: ts(r.recorded_at) ?? r.recorded_at,
    status: resultStatus(r),
  }
}

export function listResults(db: Db, f: ResultFilter): { items: ResultRow[]; total: number } {
  const like = f.q ? likeContains(f.q) : ''
  const where = new Where()
    .when(f.pc_id, 'pc_id = ?', f.pc_id)
    .when(f.job_id, 'job_id = ?', f.job_id)
    .when(f.exec_id, 'exec_id = ?', f.exec_id)
    .when(f.since, 'recorded_at >= ?', f.since)
    .when(f.until, 'recorded_at < ?', f.until)
    .when(f.q, `stdout LIKE ? ESCAPE '\\' OR stderr LIKE ? ESCAPE '\\'`, like, like)
  if (f.status) where.add(STATUS_SQL[f.status])
  const { n } = db.prepare(`SELECT COUNT(*) AS n FROM execution_results ${where.sql}`).get(...where.args) as { n: number }
  const p = page(f.limit, f.offset)
  const rows = db
    .prepare(`SELECT * FROM execution_results ${where.sql} ${orderBy(f.sort, RESULT_SORT, 'result_id')} ${p.sql}`)
    .all(...where.args, ...p.args) as ResultDbRow[]
  return { items: rows.map(toResultRow), total: n }
}

export function getResult(db: Db, resultId: string): ResultRow | null {
  const r = db.prepare('SELECT * FROM execution_results WHERE result_id = ?').get(resultId) as ResultDbRow | undefined
  return r ? toResultRow(r) : null
}
