// Misfire decision at startup (backend reference §6.1: 0.30 has no catch-up; the console
// persists each schedule's last fire, Q10, and decides here whether to make up for ticks
// missed while it was down). Pure: the caller supplies the persisted state and the clock.

import { previousFire, ticksBetween } from './cron'

export type MisfirePolicy = 'skip' | 'fire_once'

export const DEFAULT_MISFIRE_POLICY: MisfirePolicy = 'fire_once'
export const DEFAULT_GRACE_MS = 3_600_000
/** Missed ticks are counted up to this many; beyond it the count reads "≥1000". */
export const MAX_MISSED_COUNT = 1000

export interface CatchUpInput {
  cron: string
  /** IANA zone; absent/null = UTC, as kanade evaluates cron. */
  tz?: string | null
  /** The tick instant of the last fire, persisted; null = never fired (new schedule). */
  lastFireMs: number | null
  misfirePolicy?: MisfirePolicy
  /** How old the latest missed tick may be and still be made up for. */
  graceMs?: number
  /** The schedule's `starting_deadline`; a tick older than this is never made up for. */
  startingDeadlineMs?: number | null
  nowMs: number
}

interface Missed {
  /** The latest missed tick (the one a fire_once dispatches for). */
  missedTickMs: number
  /** Ticks in (lastFire, now], at most MAX_MISSED_COUNT. */
  missedCount: number
  /** True when counting stopped at MAX_MISSED_COUNT: read the count as "≥". */
  missedCountCapped: boolean
}

export type CatchUpDecision =
  | { action: 'none' }
  | ({ action: 'fire_once' } & Missed)
  | ({ action: 'skip'; reason: string } & Missed)

/** Throws if the cron or zone is invalid (schedules are validated on write, Q9). */
export function decideCatchUp(input: CatchUpInput): CatchUpDecision {
  const { cron, tz, lastFireMs, nowMs } = input
  // A schedule that never fired has no history to make up for: it starts with its next tick.
  if (lastFireMs === null) return { action: 'none' }

  // Strictly after the last fire, so a restart exactly at the fired tick never repeats it.
  const latest = previousFire(cron, nowMs, tz)
  if (latest === null || latest <= lastFireMs) return { action: 'none' }

  const { ticks, capped } = ticksBetween(cron, lastFireMs, nowMs, MAX_MISSED_COUNT, tz)
  const missed: Missed = {
    missedTickMs: latest,
    // At least the latest tick, even if the bounded walk stopped short of it.
    missedCount: Math.max(ticks.length, 1),
    missedCountCapped: capped,
  }
  const what = `${countText(missed)} missed tick(s), latest ${new Date(latest).toISOString()}`

  const policy = input.misfirePolicy ?? DEFAULT_MISFIRE_POLICY
  if (policy === 'skip') return { action: 'skip', ...missed, reason: `${what}: misfire policy is skip` }

  const age = nowMs - latest
  const grace = input.graceMs ?? DEFAULT_GRACE_MS
  if (age > grace) {
    return {
      action: 'skip',
      ...missed,
      reason: `${what}: ${durationText(age)} old, beyond the grace period of ${durationText(grace)}`,
    }
  }
  const deadline = input.startingDeadlineMs ?? null
  if (deadline !== null && age > deadline) {
    return {
      action: 'skip',
      ...missed,
      reason: `${what}: ${durationText(age)} old, beyond the starting deadline of ${durationText(deadline)}`,
    }
  }
  return { action: 'fire_once', ...missed }
}

export function countText(m: { missedCount: number; missedCountCapped: boolean }): string {
  return m.missedCountCapped ? `≥${m.missedCount}` : String(m.missedCount)
}

function durationText(ms: number): string {
  if (ms === 0) return '0s'
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}
