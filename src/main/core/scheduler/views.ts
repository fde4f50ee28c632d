import { toCanonical } from '../../../shared/time'
import { compareUtf8 } from './policy'
import { nextFires } from './cron'
import { isActive, type ParsedEntry } from './spec'
import type { ScheduleStateRow } from './state'

// What the API shows about the scheduler: per schedule its status, why it is invalid, its
// last handled tick and last fire, and its next fire; and the fleet-wide upcoming fires.
// Pure: built from parsed KV entries, schedule_state rows and the clock.

/** unknown = the definition could not be read (offline review has no broker). */
export type ScheduleStatus = 'active' | 'disabled' | 'agent' | 'invalid' | 'unknown'

export interface ScheduleStateView {
  schedule_id: string
  job_id: string | null
  /** active = fired by the console; agent = runs_on: agent (stored, not fired here). */
  status: ScheduleStatus
  invalid_reason: string | null
  cron: string | null
  /** The zone the cron is evaluated in (UTC unless the schedule's `tz` says otherwise). */
  tz: string
  misfire: 'skip' | 'fire_once' | null
  next_fire_at: string | null
  last_tick_at: string | null
  last_outcome: string | null
  last_message: string | null
  last_fire_at: string | null
  last_exec_id: string | null
}

export interface UpcomingFireView {
  schedule_id: string
  job_id: string
  fire_at: string
}

export interface ViewEntry {
  parsed: ParsedEntry
  /** Set when node-schedule refused a rule the console's parser accepted. */
  registerError?: string | null
  /** Only the SQLite state is known (offline review): `parsed.reason` is the stored invalid_reason. */
  stateOnly?: boolean
}

export function statusOf(e: ViewEntry): ScheduleStatus {
  if (e.stateOnly) return 'unknown'
  if (!e.parsed.ok || e.registerError) return 'invalid'
  if (e.parsed.spec.schedule.runs_on === 'agent') return 'agent'
  return isActive(e.parsed.spec) ? 'active' : 'disabled'
}

export function buildStateViews(entries: ViewEntry[], rows: ScheduleStateRow[], nowMs: number): ScheduleStateView[] {
  const byId = new Map(rows.map((r) => [r.schedule_id, r]))
  const views = entries.map((e) => {
    const p = e.parsed
    const key = p.ok ? p.spec.key : p.key
    const row = byId.get(key) ?? null
    const status = statusOf(e)
    const cron = p.ok ? p.spec.schedule.cron : (p.partial.cron ?? null)
    const tz = (p.ok ? p.spec.tz : p.partial.tz) ?? 'UTC'
    let next: string | null = null
    if (status === 'active' && p.ok) {
      const n = nextFires(p.spec.schedule.cron, nowMs, 1, p.spec.tz)
      next = n.length ? toCanonical(n[0]) : null
    }
    return {
      schedule_id: key,
      job_id: p.ok ? p.spec.schedule.job_id : (p.partial.job_id ?? null),
      status,
      invalid_reason: p.ok ? (e.registerError ?? null) : p.reason || null,
      cron,
      tz,
      misfire: p.ok ? p.spec.misfire : null,
      next_fire_at: next,
      last_tick_at: row?.last_tick_at ?? null,
      last_outcome: row?.last_outcome ?? null,
      last_message: row?.last_message ?? null,
      last_fire_at: row?.last_fire_at ?? null,
      last_exec_id: row?.last_exec_id ?? null,
    }
  })
  return views.sort((a, b) => compareUtf8(a.schedule_id, b.schedule_id))
}

/** The next `limit` fires across the active schedules (or of the one named `only`), soonest
 *  first (ties by id). */
export function buildUpcoming(entries: ViewEntry[], nowMs: number, limit: number, only?: string): UpcomingFireView[] {
  const all: { ms: number; id: string; job: string }[] = []
  for (const e of entries) {
    if (statusOf(e) !== 'active' || !e.parsed.ok) continue
    const s = e.parsed.spec
    if (only !== undefined && s.key !== only) continue
    for (const ms of nextFires(s.schedule.cron, nowMs, limit, s.tz)) all.push({ ms, id: s.key, job: s.schedule.job_id })
  }
  all.sort((a, b) => a.ms - b.ms || compareUtf8(a.id, b.id))
  return all.slice(0, limit).map((f) => ({ schedule_id: f.id, job_id: f.job, fire_at: toCanonical(f.ms) }))
}
