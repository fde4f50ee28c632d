import { z } from 'zod'
import { op, type OperationDef } from './op'

// Exec fan-out (kanade route 22) and the kill switch (route 35, plus the console's
// per-execution kill). The handler applies kanade's validation messages (400 naming the field).

export const TargetShape = z.object({
  groups: z.array(z.string()).nullish(),
  pcs: z.array(z.string()).nullish(),
  all: z.boolean().nullish(),
})

export const WaveShape = z.object({ group: z.string(), delay: z.string() })

export const RolloutShape = z.object({
  strategy: z.literal('wave').nullish(),
  waves: z.array(WaveShape),
})

/** FanoutPlan: who, how to phase, when to stagger (protocol §5.2). */
export const FanoutPlanBody = z.object({
  target: TargetShape.nullish(),
  rollout: RolloutShape.nullish(),
  jitter: z.string().nullish(),
  deadline_at: z.string().nullish(),
})

export const ExecResponse = z.object({
  exec_id: z.string(),
  job_id: z.string(),
  version: z.string(),
  /** Distinct PCs expected to answer (CONVENTIONS target_count rule), at least 1. */
  target_count: z.number().int(),
  /** Every subject of the exec, delayed waves included, in publish order. */
  subjects: z.array(z.string()),
})

export const execOps = {
  execJob: op({
    method: 'POST',
    path: '/api/exec/:job_id',
    summary: 'Publish a catalog job to all / groups / pcs, optionally in delayed waves',
    params: z.object({ job_id: z.string() }),
    body: FanoutPlanBody,
    response: ExecResponse,
    mutates: true,
    nats: true,
  }),
  killJob: op({
    method: 'POST',
    path: '/api/jobs/:job_id/kill',
    summary: 'Kill every pending or running execution of a job (kill.<exec_id>)',
    params: z.object({ job_id: z.string() }),
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  killExecution: op({
    method: 'POST',
    path: '/api/executions/:exec_id/kill',
    summary: 'Kill one execution (kill.<exec_id>) and cancel its pending waves',
    params: z.object({ exec_id: z.string() }),
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
} as const satisfies Record<string, OperationDef>
