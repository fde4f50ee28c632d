import { z } from 'zod'
import { op, type OperationDef } from './op'

// Talking to one agent: ad-hoc run (route 27), passive ping (28) and log tail (41).

export const RunBody = z.object({
  pc_id: z.string(),
  /** powershell (also `ps`, `pwsh`) or cmd. */
  shell: z.string().default('powershell'),
  script: z.string(),
  timeout_secs: z.number().int().min(0).default(60),
  exec_id: z.string().nullish(),
  /** Pre-v0.29 name of exec_id. */
  job_id: z.string().nullish(),
  jitter_secs: z.number().int().min(0).nullish(),
})

/** The agent's ExecResult, returned verbatim. */
export const RunResult = z.looseObject({
  result_id: z.string().optional(),
  request_id: z.string(),
  exec_id: z.string().optional(),
  pc_id: z.string(),
  exit_code: z.number().int(),
  stdout: z.string(),
  stderr: z.string(),
  started_at: z.string(),
  finished_at: z.string(),
  manifest_id: z.string().optional(),
})

export const HeartbeatShape = z.looseObject({
  pc_id: z.string(),
  at: z.string(),
  agent_version: z.string(),
  hostname: z.string().nullish(),
  os_family: z.string().nullish(),
})

const PcParams = z.object({ pc_id: z.string() })

export const runOps = {
  runScript: op({
    method: 'POST',
    path: '/api/run',
    summary: 'Run a script on one PC and wait for its result (timeout_secs + 10 s)',
    body: RunBody,
    response: RunResult,
    mutates: true,
    nats: true,
  }),
  pingAgent: op({
    method: 'POST',
    path: '/api/agents/:pc_id/ping',
    summary: "Wait for the PC's next heartbeat (408 when none arrives within wait_secs)",
    params: PcParams,
    query: z.object({ wait_secs: z.coerce.number().int().min(1).max(3600).default(45) }),
    response: z.object({ heartbeat: HeartbeatShape }),
    nats: true,
  }),
  agentLogs: op({
    method: 'GET',
    path: '/api/agents/:pc_id/logs',
    summary: "Tail of the agent's own log file (logs.fetch request/reply)",
    params: PcParams,
    query: z.object({ tail: z.coerce.number().int().min(0).max(4_294_967_295).default(500) }),
    response: z.string(),
    text: true,
    nats: true,
  }),
} as const satisfies Record<string, OperationDef>
