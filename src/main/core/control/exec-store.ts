import type { Db } from '../db/open'

// SQLite side of the exec pipeline: the executions row written BEFORE anything is published
// (Q15) and the persisted wave publishes (Q10). `published_json` NULL means "publishing in
// progress"; the wave dispatcher only publishes waves of execs whose first phase finished.

export interface NewExecution {
  execId: string
  jobId: string
  version: string
  initiatedBy: string
  initiatedAt: string
  targetCount: number
  requestId: string
  subjects: string[]
  planJson: string
  expectedPcs: string[]
  deadlineAt: string | null
  scheduleId: string | null
}

export interface NewWave {
  waveIndex: number
  subject: string
  commandJson: string
  dueAt: string
}

export function insertExecution(db: Db, e: NewExecution, waves: NewWave[], createdAt: string): void {
  const insertExec = db.prepare(`INSERT INTO executions
    (exec_id, job_id, version, initiated_by, initiated_at, target_count, success_count, failure_count, status,
     request_id, subjects_json, published_json, publish_error, plan_json, expected_pcs_json, deadline_at, schedule_id)
    VALUES (?, ?, ?, ?, ?, ?, 0, 0, 'pending', ?, ?, NULL, NULL, ?, ?, ?, ?)`)
  const insertWave = db.prepare(`INSERT INTO pending_wave_publishes
    (exec_id, wave_index, subject, command_json, due_at, status, attempts, created_at)
    VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)`)
  db.transaction(() => {
    insertExec.run(
      e.execId,
      e.jobId,
      e.version,
      e.initiatedBy,
      e.initiatedAt,
      e.targetCount,
      e.requestId,
      JSON.stringify(e.subjects),
      e.planJson,
      JSON.stringify(e.expectedPcs),
      e.deadlineAt,
      e.scheduleId,
    )
    for (const w of waves) insertWave.run(e.execId, w.waveIndex, w.subject, w.commandJson, w.dueAt, createdAt)
  })()
}

/** The first phase went out: record what was published (waves append later). */
export function markPublished(db: Db, execId: string, published: string[]): void {
  db.prepare('UPDATE executions SET published_json = ? WHERE exec_id = ?').run(JSON.stringify(published), execId)
}

/** A publish failed part-way: status failed, what went out, why; later waves are cancelled. */
export function markFailed(db: Db, execId: string, published: string[], error: string): void {
  db.transaction(() => {
    db.prepare(`UPDATE executions SET status = 'failed', published_json = ?, publish_error = ? WHERE exec_id = ?`).run(
      JSON.stringify(published),
      error,
      execId,
    )
    cancelWaves(db, execId)
  })()
}

export function cancelWaves(db: Db, execId: string): number {
  return db
    .prepare(`UPDATE pending_wave_publishes SET status = 'cancelled' WHERE exec_id = ? AND status = 'pending'`)
    .run(execId).changes
}

export interface DueWave {
  exec_id: string
  wave_index: number
  subject: string
  command_json: string
  due_at: string
  attempts: number
}

/** Pending waves due at `nowIso`, of execs whose first phase finished, in due order. */
export function dueWaves(db: Db, nowIso: string): DueWave[] {
  return db
    .prepare(
      `SELECT w.exec_id, w.wave_index, w.subject, w.command_json, w.due_at, w.attempts
       FROM pending_wave_publishes w JOIN executions e ON e.exec_id = w.exec_id
       WHERE w.status = 'pending' AND w.due_at <= ? AND e.published_json IS NOT NULL
       ORDER BY w.due_at, w.exec_id, w.wave_index`,
    )
    .all(nowIso) as DueWave[]
}

/** Earliest due_at among waves the dispatcher may publish, or null. */
export function nextDueAt(db: Db): string | null {
  const r = db
    .prepare(
      `SELECT MIN(w.due_at) AS due FROM pending_wave_publishes w JOIN executions e ON e.exec_id = w.exec_id
       WHERE w.status = 'pending' AND e.published_json IS NOT NULL`,
    )
    .get() as { due: string | null }
  return r.due
}

export function waveSucceeded(db: Db, w: DueWave, publishedAt: string): void {
  db.transaction(() => {
    const changed = db
      .prepare(
        `UPDATE pending_wave_publishes SET status = 'published', published_at = ?, attempts = attempts + 1, last_error = NULL
         WHERE exec_id = ? AND wave_index = ? AND status = 'pending'`,
      )
      .run(publishedAt, w.exec_id, w.wave_index).changes
    if (!changed) return
    const row = db.prepare('SELECT published_json FROM executions WHERE exec_id = ?').get(w.exec_id) as
      | { published_json: string | null }
      | undefined
    const list = row?.published_json ? (JSON.parse(row.published_json) as string[]) : []
    list.push(w.subject)
    db.prepare('UPDATE executions SET published_json = ? WHERE exec_id = ?').run(JSON.stringify(list), w.exec_id)
  })()
}

export function waveFailed(db: Db, w: DueWave, error: string): void {
  db.prepare(
    `UPDATE pending_wave_publishes SET attempts = attempts + 1, last_error = ? WHERE exec_id = ? AND wave_index = ?`,
  ).run(error, w.exec_id, w.wave_index)
}

/** At start, before anything can dispatch: execs left mid-publish by a stopped console. */
export function failInterruptedExecutions(db: Db): string[] {
  const ids = (
    db.prepare(`SELECT exec_id FROM executions WHERE published_json IS NULL AND request_id IS NOT NULL AND status <> 'failed'`).all() as {
      exec_id: string
    }[]
  ).map((r) => r.exec_id)
  for (const id of ids) markFailed(db, id, [], 'the console stopped while this exec was being published; some subjects may have gone out')
  return ids
}

/** Pending / running exec ids of a manifest (kill by job). */
export function activeExecIds(db: Db, jobId: string): string[] {
  return (
    db.prepare(`SELECT exec_id FROM executions WHERE job_id = ? AND status IN ('pending', 'running') ORDER BY initiated_at`).all(jobId) as {
      exec_id: string
    }[]
  ).map((r) => r.exec_id)
}
