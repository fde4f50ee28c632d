// Command — subjects commands.all / commands.group.<g> / commands.pc.<pc> (§4.1).
import { z } from 'zod'
import { compact, decodeWith, orNull, orUnset, withDefault, type Optional } from './codec'
import {
  DEFAULT_STALENESS,
  RunAsSchema,
  ShellSchema,
  StalenessSchema,
  TimestampSchema,
  U64,
  stalenessJson,
  type RunAs,
  type Shell,
  type Staleness,
} from './common'

export interface Command {
  id: string
  version: string
  request_id: string
  /** Null for ad-hoc runs (no start event, not killable). */
  exec_id: string | null
  shell: Shell
  script: string
  timeout_secs: number
  jitter_secs: number | null
  run_as: RunAs
  cwd?: string
  deadline_at?: string
  staleness: Staleness
}

/** Encoder input: fields with decode defaults may be left out. */
export type CommandInit = Optional<Command, 'exec_id' | 'jitter_secs' | 'run_as' | 'staleness'>

const CommandFields = z.object({
  id: z.string(),
  version: z.string(),
  request_id: z.string(),
  exec_id: orNull(z.string()),
  shell: ShellSchema,
  script: z.string(),
  timeout_secs: U64,
  jitter_secs: orNull(U64),
  run_as: withDefault(RunAsSchema, () => 'system' as const),
  cwd: orUnset(z.string()),
  deadline_at: orUnset(TimestampSchema),
  staleness: withDefault(StalenessSchema, () => DEFAULT_STALENESS),
})

// `job_id` is the pre-v0.29 name of exec_id (serde alias): renamed before validation;
// carrying both is serde's "duplicate field" error.
function resolveAlias(raw: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !Object.hasOwn(raw, 'job_id')) return raw
  if (Object.hasOwn(raw, 'exec_id')) {
    ctx.addIssue({
      code: 'custom',
      path: ['job_id'],
      message: 'duplicate field `exec_id` (`job_id` is its alias; send only one)',
    })
    return z.NEVER
  }
  const { job_id, ...rest } = raw as Record<string, unknown>
  return { ...rest, exec_id: job_id }
}

export const CommandSchema: z.ZodType<Command> = z
  .preprocess(resolveAlias, CommandFields)
  .transform((c): Command =>
    compact({
      id: c.id,
      version: c.version,
      request_id: c.request_id,
      exec_id: c.exec_id,
      shell: c.shell,
      script: c.script,
      timeout_secs: c.timeout_secs,
      jitter_secs: c.jitter_secs,
      run_as: c.run_as,
      cwd: c.cwd,
      deadline_at: c.deadline_at,
      staleness: c.staleness,
    }),
  )

/** Decode a Command body (already JSON-parsed); defaults filled, `job_id` alias resolved. */
export function decodeCommand(raw: unknown): Command {
  return decodeWith('Command', CommandSchema, raw)
}

/** Compact JSON in kanade's key order: exec_id / jitter_secs written as null when unset,
 *  cwd / deadline_at omitted when unset, run_as and staleness always written. */
export function encodeCommand(cmd: CommandInit): string {
  // The decoder already yields kanade's key order and null/omit rules; only staleness needs
  // its wire form.
  const c = decodeCommand(cmd)
  return JSON.stringify({ ...c, staleness: stalenessJson(c.staleness) })
}
