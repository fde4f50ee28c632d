import { z } from 'zod'
import { op, queryBool, type OperationDef } from './op'
import { RolloutShape, TargetShape } from './exec'

// Schedules in KV schedules (routes 23–26) plus enable, one schedule and upcoming fires.
// Firing them is the scheduler's job; writes here are validated (Q9).

const ExecMode = z.enum(['every_tick', 'once_per_pc', 'once_per_target'])
const RunsOn = z.enum(['backend', 'agent'])
const Misfire = z.enum(['skip', 'fire_once'])

// Console keys beyond 0.30, stored in the same KV object (the scheduler reads them; 0.30
// ignores unknown keys): tz (IANA zone of the cron, default UTC), misfire (what a start does
// about ticks missed while the console was closed, default fire_once), misfire_grace
// (humantime, default 1h).
const consoleKeys = {
  tz: z.string().nullish(),
  misfire: Misfire.nullish(),
  misfire_grace: z.string().nullish(),
}

/** POST body: a Schedule with the FanoutPlan keys flattened; unknown keys are dropped. */
export const ScheduleBody = z.object({
  id: z.string(),
  cron: z.string(),
  job_id: z.string(),
  target: TargetShape.nullish(),
  rollout: RolloutShape.nullish(),
  jitter: z.string().nullish(),
  deadline_at: z.string().nullish(),
  mode: ExecMode.nullish(),
  cooldown: z.string().nullish(),
  auto_disable_when_done: z.boolean().nullish(),
  starting_deadline: z.string().nullish(),
  runs_on: RunsOn.nullish(),
  enabled: z.boolean().nullish(),
  ...consoleKeys,
})

/** A stored schedule (defaults filled in). */
export const ScheduleRow = z.object({
  id: z.string(),
  cron: z.string(),
  job_id: z.string(),
  target: z.object({ groups: z.array(z.string()), pcs: z.array(z.string()), all: z.boolean() }),
  rollout: z.object({ strategy: z.literal('wave'), waves: z.array(z.object({ group: z.string(), delay: z.string() })) }).optional(),
  jitter: z.string().optional(),
  deadline_at: z.string().optional(),
  mode: ExecMode,
  cooldown: z.string().optional(),
  auto_disable_when_done: z.boolean(),
  starting_deadline: z.string().optional(),
  runs_on: RunsOn,
  enabled: z.boolean(),
  tz: z.string().optional(),
  misfire: Misfire.optional(),
  misfire_grace: z.string().optional(),
})

/** What the console's scheduler knows about a schedule (GET /api/scheduler/state). */
export const ScheduleStateRow = z.object({
  schedule_id: z.string(),
  job_id: z.string().nullable(),
  /** active = fired by the console; agent = runs_on agent (stored, not fired here);
   *  unknown = the definition is unreadable (offline review). */
  status: z.enum(['active', 'disabled', 'agent', 'invalid', 'unknown']),
  /** Why the schedule cannot be registered (bad cron, zone, duration…); null when valid. */
  invalid_reason: z.string().nullable(),
  cron: z.string().nullable(),
  /** Zone the cron is evaluated in. */
  tz: z.string(),
  misfire: Misfire.nullable(),
  /** RFC 3339 UTC; null unless active. */
  next_fire_at: z.string().nullable(),
  /** The last tick handled (fired, skipped by the policy, missed, failed). */
  last_tick_at: z.string().nullable(),
  /** fired | skipped | job_missing | failed | misfire_skipped | interrupted | dispatching. */
  last_outcome: z.string().nullable(),
  /** Why the last tick did not fire, or its error. */
  last_message: z.string().nullable(),
  /** The tick of the last exec a fire created, and its exec id. */
  last_fire_at: z.string().nullable(),
  last_exec_id: z.string().nullable(),
})

export const UpcomingFire = z.object({
  schedule_id: z.string(),
  job_id: z.string(),
  /** RFC 3339 UTC. */
  fire_at: z.string(),
})

const IdParams = z.object({ id: z.string() })

/** A draft cron to preview (nothing is stored). */
export const SchedulePreviewBody = z.object({
  cron: z.string(),
  /** IANA zone the cron is evaluated in (default UTC). */
  tz: z.string().nullish(),
  /** How many fires (default 10). */
  count: z.coerce.number().int().min(1).max(100).default(10),
})

export const SchedulePreview = z.object({
  ok: z.literal(true),
  cron: z.string(),
  tz: z.string(),
  /** The next fires after now, RFC 3339 UTC, soonest first (empty when the year field has passed). */
  fires: z.array(z.string()),
})

export const schedulesOps = {
  listSchedules: op({
    method: 'GET',
    path: '/api/schedules',
    summary: 'Every schedule in KV order',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100_000).optional(),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    response: ScheduleRow,
    list: true,
  }),
  upcomingSchedules: op({
    method: 'GET',
    path: '/api/schedules/upcoming',
    summary: 'Next fires of the enabled backend schedules (or of one: schedule_id), soonest first',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(20),
      schedule_id: z.string().min(1).optional(),
    }),
    response: UpcomingFire,
    list: true,
  }),
  previewSchedule: op({
    method: 'POST',
    path: '/api/schedules/preview',
    summary: 'Next fires of a draft cron in a time zone (nothing is saved); 400 with the reason when the cron or zone is invalid',
    body: SchedulePreviewBody,
    response: SchedulePreview,
  }),
  scheduleStates: op({
    method: 'GET',
    path: '/api/scheduler/state',
    summary: 'Per schedule: status, invalid reason, last tick, last fire (exec id), outcome and next fire',
    response: ScheduleStateRow,
    list: true,
  }),
  getSchedule: op({
    method: 'GET',
    path: '/api/schedules/:id',
    summary: 'One schedule',
    params: IdParams,
    response: ScheduleRow,
  }),
  upsertSchedule: op({
    method: 'POST',
    path: '/api/schedules',
    summary: 'Create or replace a schedule (cron, job and durations are checked)',
    body: ScheduleBody,
    bodyFormats: ['yaml'],
    response: z.object({ id: z.string(), cron: z.string(), enabled: z.boolean(), job_id: z.string() }),
    mutates: true,
    nats: true,
  }),
  deleteSchedule: op({
    method: 'DELETE',
    path: '/api/schedules/:id',
    summary: 'Delete a schedule',
    params: IdParams,
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  disableSchedule: op({
    method: 'POST',
    path: '/api/schedules/:id/disable',
    summary: 'Disable a schedule (compare-and-set); cascade=true also revokes its job',
    params: IdParams,
    query: z.object({ cascade: queryBool.default(false) }),
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  enableSchedule: op({
    method: 'POST',
    path: '/api/schedules/:id/enable',
    summary: 'Enable a schedule (compare-and-set)',
    params: IdParams,
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
} as const satisfies Record<string, OperationDef>
