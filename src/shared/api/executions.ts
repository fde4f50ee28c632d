import { z } from 'zod'
import { op, Paging, sortQuery } from './op'
import { ResultStatus } from './results'

// Executions: one row per exec or scheduler fire (kanade 0.30's ExecutionRow), and one
// execution with per-PC summaries and progress. Unlike 0.30, an in-flight summary reports
// exit_code null, never 0 (Q16).

export const EXECUTION_STATUSES = ['pending', 'running', 'completed', 'expired', 'failed'] as const
export const ExecutionStatus = z.enum(EXECUTION_STATUSES)

export const ExecutionRow = z.object({
  exec_id: z.string(),
  job_id: z.string(),
  version: z.string(),
  initiated_by: z.string(),
  initiated_at: z.string().nullable(),
  target_count: z.number().int(),
  success_count: z.number().int(),
  failure_count: z.number().int(),
  /** pending, running, completed, expired or failed. */
  status: z.string(),
})
export type ExecutionRow = z.infer<typeof ExecutionRow>

export const ExecutionResultSummary = z.object({
  result_id: z.string(),
  request_id: z.string(),
  pc_id: z.string(),
  /** null while running (kanade 0.30 reported 0). */
  exit_code: z.number().int().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  recorded_at: z.string(),
  status: ResultStatus,
})

export const ExecutionProgress = z.object({
  target_count: z.number().int(),
  /** Distinct PCs with a row (started or finished). */
  reported: z.number().int(),
  /** Finished rows. */
  done: z.number().int(),
  success: z.number().int(),
  failure: z.number().int(),
  /** Started, not finished. */
  running: z.number().int(),
  /** Expected PCs not finished yet (running or not reported). */
  pending: z.number().int(),
  /** Expected PCs that have not reported at all. */
  not_reported: z.number().int(),
})

export const WAVE_STATUSES = ['sent', 'pending', 'cancelled', 'failed'] as const

/** One subject the exec publishes: a wave of a rollout, or a subject sent at exec time. */
export const ExecutionWave = z.object({
  /** Position in the exec's plan (wave number of a rollout, from 0). */
  index: z.number().int(),
  subject: z.string(),
  /** What the subject addresses: commands.all, commands.group.<group>, commands.pc.<pc_id>. */
  kind: z.enum(['all', 'group', 'pc']),
  group: z.string().nullable(),
  pc_id: z.string().nullable(),
  /** When it is due: the exec's start for a subject without delay. */
  due_at: z.string().nullable(),
  /** sent; pending (not due yet, or being retried: see last_error); cancelled (kill, or an
   *  earlier publish failed); failed (the exec's publish failed before this subject). */
  status: z.enum(WAVE_STATUSES),
  /** When it went out (the exec's start for a subject without delay). */
  sent_at: z.string().nullable(),
  /** Publish attempts (a delayed wave is retried while NATS is unreachable). */
  attempts: z.number().int(),
  last_error: z.string().nullable(),
})
export type ExecutionWave = z.infer<typeof ExecutionWave>

export const ExecutionDetail = z.object({
  execution: ExecutionRow,
  results: z.array(ExecutionResultSummary),
  progress: ExecutionProgress,
  /** The subjects it publishes and when, in plan order (empty for kanade 0.30 rows). */
  waves: z.array(ExecutionWave),
  /** The plan was a rollout (`rollout.waves`). */
  wave_mode: z.boolean(),
  /** Why publishing failed part-way (status failed), else null. */
  publish_error: z.string().nullable(),
  /** The schedule whose fire created it, else null. */
  schedule_id: z.string().nullable(),
})

export const ExecutionListQuery = z.object({
  job_id: z.string().min(1).optional(),
  status: ExecutionStatus.optional(),
  sort: sortQuery(['initiated_at', 'job_id', 'status']).default('-initiated_at'),
  ...Paging,
})

export const executionsOps = {
  listExecutions: op({
    method: 'GET',
    path: '/api/executions',
    summary: 'Executions, newest first',
    query: ExecutionListQuery,
    response: ExecutionRow,
    list: true,
  }),
  getExecution: op({
    method: 'GET',
    path: '/api/executions/:exec_id',
    summary: 'One execution with per-PC summaries (newest first), progress, and its waves (subjects, due and sent times)',
    params: z.object({ exec_id: z.string().min(1) }),
    response: ExecutionDetail,
  }),
} as const
