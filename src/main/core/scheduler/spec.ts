import { decodeSchedule, parseHumantime, type Schedule } from '../../../shared/wire'
import { DEFAULT_GRACE_MS, DEFAULT_MISFIRE_POLICY, type MisfirePolicy } from './catch-up'
import { validateCron } from './cron'

// One KV `schedules` entry as the scheduler sees it: kanade's Schedule (protocol §5.3) plus
// three console keys beyond 0.30, stored in the same JSON object (kanade's Schedule ignores
// unknown keys, and 0.30 agents only read `runs_on: agent` schedules, which the console never
// fires, so these keys are safe on backend schedules):
//   tz            IANA time zone the cron is evaluated in (absent/null = UTC, as kanade)
//   misfire       `fire_once` (default) | `skip`: what a start-up does about ticks missed while
//                 the console was closed
//   misfire_grace humantime, default 1h: how old a missed tick may be and still be made up for
// Anything that would make every tick fail is reported as an invalid schedule, never ignored.

export const CONSOLE_SCHEDULE_KEYS = ['tz', 'misfire', 'misfire_grace'] as const

export interface ScheduleSpec {
  key: string
  revision: number
  schedule: Schedule
  tz: string | null
  misfire: MisfirePolicy
  misfireGraceMs: number
  /** Parsed `cooldown` of the once_* modes; null = succeed once, never again. */
  cooldownMs: number | null
  /** Parsed `starting_deadline`; null = none. */
  startingDeadlineMs: number | null
  /** The stored object as written, extra keys included (the auto-disable put keeps them). */
  raw: Record<string, unknown>
}

export type ParsedEntry =
  | { ok: true; spec: ScheduleSpec }
  | {
      ok: false
      key: string
      revision: number
      reason: string
      partial: PartialSchedule
    }

/** What could be read from an invalid entry, for listing it. */
export interface PartialSchedule {
  job_id?: string
  enabled?: boolean
  runs_on?: string
  cron?: string
  tz?: string | null
}

export function parseScheduleEntry(key: string, text: string, revision: number): ParsedEntry {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return bad(key, revision, {}, `the stored value is not JSON: ${(e as Error).message}`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return bad(key, revision, {}, 'the stored value is not a JSON object')
  }
  const obj = raw as Record<string, unknown>
  const partial: PartialSchedule = {
    job_id: typeof obj.job_id === 'string' ? obj.job_id : undefined,
    enabled: typeof obj.enabled === 'boolean' ? obj.enabled : undefined,
    runs_on: typeof obj.runs_on === 'string' ? obj.runs_on : undefined,
    cron: typeof obj.cron === 'string' ? obj.cron : undefined,
    tz: typeof obj.tz === 'string' ? obj.tz : null,
  }
  let schedule: Schedule
  try {
    schedule = decodeSchedule(obj)
  } catch (e) {
    return bad(key, revision, partial, (e as Error).message)
  }
  if (schedule.id !== key) {
    return bad(key, revision, partial, `schedule id '${schedule.id}' does not match its KV key '${key}'`)
  }
  const extras = consoleExtrasProblem(obj)
  if (extras) return bad(key, revision, partial, extras)
  const tz = typeof obj.tz === 'string' ? obj.tz : null
  const cron = validateCron(schedule.cron, tz)
  if (!cron.ok) return bad(key, revision, partial, cron.reason)

  let cooldownMs: number | null = null
  // kanade parses cooldown only in the once_* modes, and starting_deadline on every tick.
  if (schedule.cooldown !== undefined && schedule.mode !== 'every_tick') {
    const d = duration(schedule.cooldown, 'cooldown')
    if (typeof d === 'string') return bad(key, revision, partial, d)
    cooldownMs = d
  }
  let startingDeadlineMs: number | null = null
  if (schedule.starting_deadline !== undefined) {
    const d = duration(schedule.starting_deadline, 'starting_deadline')
    if (typeof d === 'string') return bad(key, revision, partial, d)
    startingDeadlineMs = d
  }
  const grace = obj.misfire_grace == null ? DEFAULT_GRACE_MS : parseHumantime(obj.misfire_grace as string)
  return {
    ok: true,
    spec: {
      key,
      revision,
      schedule,
      tz,
      misfire: (obj.misfire as MisfirePolicy | null | undefined) ?? DEFAULT_MISFIRE_POLICY,
      misfireGraceMs: grace,
      cooldownMs,
      startingDeadlineMs,
      raw: obj,
    },
  }
}

/**
 * Checks of the console keys (`tz`, `misfire`, `misfire_grace`) for writers (Q9) and for the
 * driver: the 400 text naming the key, or null when they are absent or valid. The time zone
 * itself is checked together with the cron (validateCron).
 */
export function consoleExtrasProblem(obj: Record<string, unknown>): string | null {
  if (obj.tz != null) {
    if (typeof obj.tz !== 'string') return 'invalid tz: must be an IANA time zone name such as Europe/Berlin'
    const c = validateCron('* * * * * *', obj.tz)
    if (!c.ok) return `invalid tz: ${c.reason}`
  }
  if (obj.misfire != null && obj.misfire !== 'skip' && obj.misfire !== 'fire_once') {
    return `invalid misfire ${JSON.stringify(obj.misfire)}: use 'fire_once' (default) or 'skip'`
  }
  if (obj.misfire_grace != null) {
    if (typeof obj.misfire_grace !== 'string') return 'invalid misfire_grace: must be a duration such as "1h" or "30m"'
    const d = duration(obj.misfire_grace, 'misfire_grace')
    if (typeof d === 'string') return d
  }
  return null
}

export interface ConsoleScheduleKeys {
  tz?: string
  misfire?: MisfirePolicy
  misfire_grace?: string
}

/** The console keys present (non-null) in a stored or posted schedule object, for writers to
 *  keep them next to kanade's keys (decodeSchedule drops unknown keys). */
export function consoleKeysOf(obj: unknown): ConsoleScheduleKeys {
  const out: ConsoleScheduleKeys = {}
  if (typeof obj !== 'object' || obj === null) return out
  const o = obj as Record<string, unknown>
  if (typeof o.tz === 'string') out.tz = o.tz
  if (o.misfire === 'skip' || o.misfire === 'fire_once') out.misfire = o.misfire
  if (typeof o.misfire_grace === 'string') out.misfire_grace = o.misfire_grace
  return out
}

/** Active = fired by the console: valid, enabled, and not run by the agents themselves. */
export function isActive(spec: ScheduleSpec): boolean {
  return spec.schedule.enabled && spec.schedule.runs_on === 'backend'
}

function duration(text: string, field: string): number | string {
  try {
    return parseHumantime(text)
  } catch (e) {
    return `invalid ${field}: ${(e as Error).message}`
  }
}

function bad(key: string, revision: number, partial: PartialSchedule, reason: string): ParsedEntry {
  return { ok: false, key, revision, reason, partial }
}
