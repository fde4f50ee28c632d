import type { ExecResult } from '../../../shared/wire'
import type { ChangeSet } from './changes'
import { DEFAULT_MAX_OUTPUT_BYTES, capResultOutput } from '../output-cap'
import { lateResultCounterDelta } from '../reaper'
import { fastDecodeExecResult } from './fast-decode'
import { resultRowKey } from './legacy-id'
import { stmt } from './ledger'
import { canonicalNow, canonicalTime } from './timestamps'
import type { ApplyEnv, StreamProjector } from './types'

// Results projector (reference §3.3, §3.4): UPSERT by result_id with the finished_at guard,
// counters moved exactly once per run, inventory hint → inventory_facts.
//
// Console decisions: Q17 — a new row takes `version` from its executions row (the start
// event, which carries it, may never come or come late). An exec marked `failed` by a
// partial publish (Q15) keeps that status; its counters still move. stdout / stderr are
// capped (issue 10, output-cap.ts). A row the reaper marked lost (issue 10) is replaced by
// the real result, and the counters move by lateResultCounterDelta (the lost row already
// counted one failure), so each run still counts exactly once.

// One statement decides "applied" on the common paths: a new row, or an in-flight row being
// finished, changes one row; a finished row is left alone (DO UPDATE … WHERE: no change) —
// then REPLACE_LOST tries the rare case of a row the reaper marked lost.
const UPSERT = `INSERT INTO execution_results
  (result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr, started_at, finished_at, recorded_at, job_id, version,
   output_truncated, output_note)
  VALUES (@result_id, @request_id, @exec_id, @pc_id, @exit_code, @stdout, @stderr, @started_at, @finished_at, @recorded_at,
    @job_id, (SELECT version FROM executions WHERE exec_id = @exec_id), @output_truncated, @output_note)
  ON CONFLICT(result_id) DO UPDATE SET
    exit_code = excluded.exit_code, stdout = excluded.stdout, stderr = excluded.stderr,
    finished_at = excluded.finished_at, request_id = excluded.request_id,
    job_id = COALESCE(excluded.job_id, execution_results.job_id),
    output_truncated = excluded.output_truncated, output_note = excluded.output_note
  WHERE execution_results.finished_at IS NULL`

const REPLACE_LOST = `UPDATE execution_results SET
    exit_code = @exit_code, stdout = @stdout, stderr = @stderr, finished_at = @finished_at, request_id = @request_id,
    job_id = COALESCE(@job_id, job_id), output_truncated = @output_truncated, output_note = @output_note, lost = 0
  WHERE result_id = @result_id AND lost = 1`

// No status guard except the terminal ones (0.30: a late result revives `expired`).
const COUNT = `UPDATE executions SET
    success_count = success_count + @ok,
    failure_count = failure_count + @failed,
    status = CASE
      WHEN status IN ('completed', 'failed') THEN status
      WHEN success_count + failure_count + @ok + @failed >= target_count THEN 'completed'
      ELSE 'running' END
  WHERE exec_id = @exec_id
  RETURNING exec_id, job_id, status, target_count, success_count, failure_count`

const INVENTORY = `INSERT INTO inventory_facts (pc_id, job_id, facts_json, display_json, summary_json, collected_at, recorded_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(pc_id, job_id) DO UPDATE SET facts_json = excluded.facts_json, display_json = excluded.display_json,
    summary_json = excluded.summary_json, collected_at = excluded.collected_at, recorded_at = excluded.recorded_at`

export const resultsProjector: StreamProjector<ExecResult> = {
  name: 'results',
  consumerSuffix: 'results_projector',
  stream: 'RESULTS',
  filter: null,
  hasData: (db) => stmt(db, "SELECT 1 FROM execution_results WHERE finished_at IS NOT NULL LIMIT 1").get() !== undefined,
  decode: (m) => fastDecodeExecResult(m.data),
  apply(env, r, _m, changes) {
    const db = env.db
    const rid = resultRowKey(r)
    const finishedAt = canonicalTime(r.finished_at)
    const out = capResultOutput(r.stdout, r.stderr, env.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES)
    const params = {
      result_id: rid,
      request_id: r.request_id,
      exec_id: r.exec_id,
      pc_id: r.pc_id,
      exit_code: r.exit_code,
      stdout: out.stdout,
      stderr: out.stderr,
      output_truncated: out.output_truncated,
      output_note: out.output_note,
      started_at: canonicalTime(r.started_at),
      finished_at: finishedAt,
      recorded_at: canonicalNow(env.now()),
      job_id: r.manifest_id,
    }
    let applied = stmt(db, UPSERT).run(params).changes > 0
    let wasLost = false
    if (!applied) {
      const { exec_id: _e, pc_id: _p, started_at: _s, recorded_at: _r, ...update } = params
      applied = wasLost = stmt(db, REPLACE_LOST).run(update).changes > 0
    }
    if (applied) {
      changes.resultChanged(rid, r.exec_id, r.pc_id)
      if (r.exec_id) countOnce(r, wasLost, changes)
    }
    // Like 0.30, inventory follows every successful result, applied or not (last writer wins);
    // facts come from the whole stdout, not the capped copy.
    if (r.exit_code === 0 && r.manifest_id) projectInventory(env, r, finishedAt)
    return applied
  },
  flush: flushCounters,
}

/** Defer the counter move of an applied result to flush() (one UPDATE per exec). */
function countOnce(r: ExecResult, wasLost: boolean, changes: ChangeSet): void {
  let ok = r.exit_code === 0 ? 1 : 0
  let failed = 1 - ok
  if (wasLost) {
    const d = lateResultCounterDelta(r.exit_code)
    ok = d.success
    failed = d.failure
  }
  if (ok !== 0 || failed !== 0) changes.countResult(r.exec_id!, ok, failed)
}

/** Move the counters of every exec touched by the transaction, once each. */
function flushCounters(env: ApplyEnv, changes: ChangeSet): void {
  for (const [execId, d] of changes.counterDeltas) {
    const exec = stmt(env.db, COUNT).get({ ok: d.ok, failed: d.failed, exec_id: execId }) as
      | { exec_id: string; job_id: string; status: string; target_count: number; success_count: number; failure_count: number }
      | undefined
    // No executions row: an agent-side schedule or an exec this console never recorded.
    if (exec) changes.executions.set(exec.exec_id, { ...exec })
  }
  changes.counterDeltas.clear()
}

function projectInventory(env: ApplyEnv, r: ExecResult, collectedAt: string): void {
  const hint = env.manifests.inventoryHint(r.manifest_id!)
  if (!hint) return
  try {
    JSON.parse(r.stdout)
  } catch {
    env.log.warn(`results: ${r.pc_id} ran inventory job ${r.manifest_id} but its stdout is not JSON; no inventory row`)
    return
  }
  stmt(env.db, INVENTORY).run(
    r.pc_id,
    r.manifest_id,
    r.stdout,
    JSON.stringify(hint.display),
    hint.summary ? JSON.stringify(hint.summary) : null,
    collectedAt,
    canonicalNow(env.now()),
  )
}
