// ExecResult — subject results.<request_id> (§4.2).
import { z } from 'zod'
import { compact, decodeWith, orNull, withDefault, type Optional } from './codec'
import { I32, TimestampSchema } from './common'

export interface ExecResult {
  /** "" from agents older than v0.29: the projector derives the legacy UUIDv5 key. */
  result_id: string
  request_id: string
  /** Null for ad-hoc runs and pre-0.29 agents (encoded by omission). */
  exec_id: string | null
  pc_id: string
  exit_code: number
  stdout: string
  stderr: string
  started_at: string
  finished_at: string
  /** Null from agents older than v0.13 (encoded by omission). */
  manifest_id: string | null
}

export type ExecResultInit = Optional<ExecResult, 'result_id' | 'exec_id' | 'manifest_id'>

// No `job_id` alias here (unlike Command): such a key is unknown and dropped.
export const ExecResultSchema: z.ZodType<ExecResult> = z
  .object({
    result_id: withDefault(z.string(), () => ''),
    request_id: z.string(),
    exec_id: orNull(z.string()),
    pc_id: z.string(),
    exit_code: I32,
    stdout: z.string(),
    stderr: z.string(),
    started_at: TimestampSchema,
    finished_at: TimestampSchema,
    manifest_id: orNull(z.string()),
  })
  .transform(
    (r): ExecResult => ({
      result_id: r.result_id,
      request_id: r.request_id,
      exec_id: r.exec_id,
      pc_id: r.pc_id,
      exit_code: r.exit_code,
      stdout: r.stdout,
      stderr: r.stderr,
      started_at: r.started_at,
      finished_at: r.finished_at,
      manifest_id: r.manifest_id,
    }),
  )

/** Decode an ExecResult; missing result_id → "", missing exec_id / manifest_id → null. */
export function decodeExecResult(raw: unknown): ExecResult {
  return decodeWith('ExecResult', ExecResultSchema, raw)
}

/** Compact JSON in kanade's key order; exec_id and manifest_id omitted when null. */
export function encodeExecResult(result: ExecResultInit): string {
  const r = decodeExecResult(result)
  return JSON.stringify(
    compact({
      result_id: r.result_id,
      request_id: r.request_id,
      exec_id: r.exec_id ?? undefined,
      pc_id: r.pc_id,
      exit_code: r.exit_code,
      stdout: r.stdout,
      stderr: r.stderr,
      started_at: r.started_at,
      finished_at: r.finished_at,
      manifest_id: r.manifest_id ?? undefined,
    }),
  )
}
