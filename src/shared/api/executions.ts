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

export const ExecutionDetail = z.object({
  execution: ExecutionRow,
  results: z.array(ExecutionResultSummary),
  progress: ExecutionProgress,
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
    summary: 'One execution with per-PC summaries (newest first) and progress',
    params: z.object({ exec_id: z.string().min(1) }),
    response: ExecutionDetail,
  }),
} as const
