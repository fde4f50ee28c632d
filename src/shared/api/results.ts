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

const MAX_BUCKET_SECS = 7 * 24 * 3600

/** `15m`, `1h`, `6h`…: a bucket width in minutes or hours, handed on in seconds. */
export const histogramBucket = z.string().transform((text, ctx) => {
  const m = /^(\d{1,6})([mh])$/.exec(text.trim())
  const secs = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : 60) : NaN
  if (!m || secs < 60 || secs > MAX_BUCKET_SECS) {
    ctx.addIssue({ code: 'custom', message: `expected a bucket width in minutes or hours from 1m to 168h (e.g. 15m, 1h), got "${text}"` })
    return z.NEVER
  }
  return secs
})

export const HistogramQuery = z.object({
  /** recorded_at >= since, rounded down to a bucket boundary (default: until - 24 h). */
  since: queryTimestamp.optional(),
  /** recorded_at < until, rounded up to a bucket boundary (default: the end of the current bucket). */
  until: queryTimestamp.optional(),
  /** Bucket width: `<n>m` or `<n>h` (default 1h); buckets start at multiples of it since the epoch (UTC). */
  bucket: histogramBucket.default(3600),
})

export const HistogramBucket = z.object({
  /** RFC 3339 UTC start of the bucket; it ends where the next one starts. */
  start: z.string(),
  success: z.number().int(),
  failure: z.number().int(),
  running: z.number().int(),
})

export const ResultsHistogram = z.object({
  since: z.string(),
  until: z.string(),
  bucket_secs: z.number().int(),
  /** Every bucket from since to until, oldest first, zeros included. */
  buckets: z.array(HistogramBucket),
  total: z.number().int(),
})
export type ResultsHistogram = z.infer<typeof ResultsHistogram>

export const resultsOps = {
  listResults: op({
    method: 'GET',
    path: '/api/results',
    summary: 'Results, newest first',
    query: ResultListQuery,
    response: ResultRow,
    list: true,
  }),
  resultsHistogram: op({
    method: 'GET',
    path: '/api/results/histogram',
    summary: 'Results per time bucket (success / failure / running by recorded_at), counted in SQL',
    query: HistogramQuery,
    response: ResultsHistogram,
  }),
  getResult: op({
    method: 'GET',
    path: '/api/results/:result_id',
    summary: 'One result with its full output',
    params: z.object({ result_id: z.string().min(1) }),
    response: ResultRow,
  }),
} as const
