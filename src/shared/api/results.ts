import { z } from 'zod'
import { op, Paging, queryTimestamp, sortQuery } from './op'

// Results: kanade 0.30's ResultRow (one row per Command × PC, in flight or finished) plus
// `recorded_at` and a derived `status`; the list filters go beyond kanade's (job, exec, time
// range, text in the output, offset, sort).

export const ResultStatus = z.enum(['success', 'failure', 'running'])
export type ResultStatus = z.infer<typeof ResultStatus>

export const ResultRow = z.object({
  result_id: z.string(),
  request_id: z.string(),
  exec_id: z.string().nullable(),
  pc_id: z.string(),
  /** null = still running. */
  exit_code: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  /** The manifest id (kanade's historical name). */
  job_id: z.string().nullable(),
  version: z.string().nullable(),
  recorded_at: z.string(),
  status: ResultStatus,
})
export type ResultRow = z.infer<typeof ResultRow>

export const RESULT_SORT = ['recorded_at', 'started_at', 'finished_at', 'pc_id', 'exit_code'] as const

export const ResultListQuery = z.object({
  pc_id: z.string().min(1).optional(),
  status: ResultStatus.optional(),
  /** recorded_at >= since */
  since: queryTimestamp.optional(),
  /** recorded_at < until */
  until: queryTimestamp.optional(),
  job_id: z.string().min(1).optional(),
  exec_id: z.string().min(1).optional(),
  /** Substring of stdout or stderr (case-insensitive for ASCII). */
  q: z.string().max(1000).optional(),
  sort: sortQuery(RESULT_SORT).default('-recorded_at'),
  ...Paging,
})

export const resultsOps = {
  listResults: op({
    method: 'GET',
    path: '/api/results',
    summary: 'Results, newest first',
    query: ResultListQuery,
    response: ResultRow,
    list: true,
  }),
  getResult: op({
    method: 'GET',
    path: '/api/results/:result_id',
    summary: 'One result with its full output',
    params: z.object({ result_id: z.string().min(1) }),
    response: ResultRow,
  }),
} as const
