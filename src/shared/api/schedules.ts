import { z } from 'zod'
import { op, queryBool, type OperationDef } from './op'
import { RolloutShape, TargetShape } from './exec'

// Schedules in KV schedules (routes 23–26) plus enable, one schedule and upcoming fires.
// Firing them is the scheduler's job; writes here are validated (Q9).

const ExecMode = z.enum(['every_tick', 'once_per_pc', 'once_per_target'])
const RunsOn = z.enum(['backend', 'agent'])

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
})

export const UpcomingFire = z.object({
  schedule_id: z.string(),
  job_id: z.string(),
  /** RFC 3339 UTC. */
  fire_at: z.string(),
})

const IdParams = z.object({ id: z.string() })

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
    nats: true,
  }),
  upcomingSchedules: op({
    method: 'GET',
    path: '/api/schedules/upcoming',
    summary: 'Next fires of the enabled backend schedules, soonest first',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) }),
    response: UpcomingFire,
    list: true,
    nats: true,
  }),
  getSchedule: op({
    method: 'GET',
    path: '/api/schedules/:id',
    summary: 'One schedule',
    params: IdParams,
    response: ScheduleRow,
    nats: true,
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
