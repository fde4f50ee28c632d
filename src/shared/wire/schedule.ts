// Schedule — KV schedules[<id>] (§5.3): a FanoutPlan flattened at the top level plus
// the schedule's own keys. Unknown keys are ignored (not rejected).
import { z } from 'zod'
import { compact, decodeWith, orUnset, withDefault, type Optional } from './codec'
import { ExecModeSchema, RunsOnSchema, type ExecMode, type RunsOn } from './common'
import { fanoutPlanShape, pickPlan, type FanoutPlan } from './plan'

export interface Schedule extends FanoutPlan {
  id: string
  /** 6-field cron (seconds first, optional 7th year field), evaluated in UTC. */
  cron: string
  /** Manifest id in KV jobs. */
  job_id: string
  mode: ExecMode
  /** Humantime re-arm period for the once_* modes; unset = succeed once, never again. */
  cooldown?: string
  auto_disable_when_done: boolean
  /** Humantime; Command.deadline_at = tick time + this. */
  starting_deadline?: string
  runs_on: RunsOn
  enabled: boolean
}

export type ScheduleInit = Optional<Schedule, 'target' | 'mode' | 'auto_disable_when_done' | 'runs_on' | 'enabled'>

function ordered(s: Schedule): Schedule {
  const plan = pickPlan(s)
  return compact({
    id: s.id,
    cron: s.cron,
    job_id: s.job_id,
    target: plan.target,
    rollout: plan.rollout,
    jitter: plan.jitter,
    deadline_at: plan.deadline_at,
    mode: s.mode,
    cooldown: s.cooldown,
    auto_disable_when_done: s.auto_disable_when_done,
    starting_deadline: s.starting_deadline,
    runs_on: s.runs_on,
    enabled: s.enabled,
  })
}

export const ScheduleSchema: z.ZodType<Schedule> = z
  .object({
    id: z.string(),
    cron: z.string(),
    job_id: z.string(),
    ...fanoutPlanShape,
    mode: withDefault(ExecModeSchema, () => 'every_tick' as const),
    cooldown: orUnset(z.string()),
    auto_disable_when_done: withDefault(z.boolean(), () => false),
    starting_deadline: orUnset(z.string()),
    runs_on: withDefault(RunsOnSchema, () => 'backend' as const),
    enabled: withDefault(z.boolean(), () => true),
  })
  .transform(ordered)

/** Decode a Schedule; defaults: mode every_tick, auto_disable_when_done false, runs_on
 *  backend, enabled true, target all-empty; optional durations unset. */
export function decodeSchedule(raw: unknown): Schedule {
  return decodeWith('Schedule', ScheduleSchema, raw)
}

/** Compact JSON in kanade's key order with the plan keys flattened; rollout, jitter,
 *  deadline_at, cooldown and starting_deadline omitted when unset. */
export function encodeSchedule(schedule: ScheduleInit): string {
  return JSON.stringify(ordered(decodeSchedule(schedule)))
}
