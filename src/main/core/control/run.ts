import { randomUUID } from 'node:crypto'
import { ErrorCode, NatsError } from 'nats'
import { ApiError, badRequest } from '../../../shared/api/errors'
import { subjects } from '../../../shared/nats-names'
import { encodeCommand, encodeLogsRequest, type Shell } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { flushWithin, requireNats, utf8 } from './nats'
import { controlTuning } from './tuning'
import { firstMessage, subscribeFirst } from './wait'
import { assertToken } from './validate'

// One agent, synchronously (backend §4.5 Run / Ping / Logs, protocol §7.12).

export interface RunRequest {
  pc_id: string
  shell: string
  script: string
  timeout_secs: number
  exec_id?: string | null
  job_id?: string | null
  jitter_secs?: number | null
}

/** kanade's shell names: powershell / ps / pwsh → powershell; cmd; anything else → 400. */
export function mapShell(shell: string): Shell {
  const s = shell.trim().toLowerCase()
  if (s === 'powershell' || s === 'ps' || s === 'pwsh') return 'powershell'
  if (s === 'cmd') return 'cmd'
  throw badRequest(`invalid shell ${JSON.stringify(shell)}: use powershell (ps, pwsh) or cmd`)
}

const AUDIT_SCRIPT_MAX = 8192

/** Publish an ad-hoc Command on commands.pc.<pc> and return the agent's ExecResult verbatim.
 *  Note: EXEC keeps one message per subject, so this replaces a Command queued for the PC. */
export async function adhocRun(core: CoreServices, caller: Caller, req: RunRequest): Promise<Record<string, unknown>> {
  const nc = requireNats(core)
  assertToken(req.pc_id, 'pc_id', 'pc id')
  const shell = mapShell(req.shell)
  if (req.exec_id != null && req.job_id != null) throw badRequest('send only one of exec_id and job_id (job_id is its old name)')
  const execId = req.exec_id ?? req.job_id ?? null
  if (execId !== null) assertToken(execId, 'exec_id', 'exec id')
  const requestId = randomUUID()
  const command = encodeCommand({
    id: 'adhoc-run',
    version: '0.0.0',
    request_id: requestId,
    exec_id: execId,
    shell,
    script: req.script,
    timeout_secs: req.timeout_secs,
    jitter_secs: req.jitter_secs ?? null,
    run_as: 'system',
    staleness: { mode: 'cached' },
  })
  const resultSubject = subjects.results(requestId)
  const sub = await subscribeFirst(nc, resultSubject)
  try {
    nc.publish(subjects.commandsPc(req.pc_id), utf8(command))
    await flushWithin(nc)
  } catch (e) {
    sub.unsubscribe()
    throw new ApiError('bad_gateway', `publishing on ${subjects.commandsPc(req.pc_id)} failed: ${(e as Error).message}`)
  }
  publishAudit(core, caller, 'run', req.pc_id, {
    request_id: requestId,
    shell,
    timeout_secs: req.timeout_secs,
    exec_id: execId,
    script: req.script.length > AUDIT_SCRIPT_MAX ? `${req.script.slice(0, AUDIT_SCRIPT_MAX)}…` : req.script,
  })
  const waitMs = req.timeout_secs * 1000 + controlTuning.runGraceMs
  const msg = await firstMessage(sub, waitMs)
  if (!msg) {
    throw new ApiError(
      'timeout',
      `timeout waiting for result on ${resultSubject}: ${req.pc_id} did not answer within ${Math.round(waitMs / 1000)} s ` +
        `(offline, or still running); a late result still appears under Results`,
    )
  }
  try {
    return JSON.parse(msg.string()) as Record<string, unknown>
  } catch (e) {
    throw new ApiError('bad_gateway', `the agent's result on ${resultSubject} is not JSON: ${(e as Error).message}`)
  }
}

/** Passive ping: the PC's next heartbeat, or 408. */
export async function pingAgent(core: CoreServices, pcId: string, waitSecs: number): Promise<{ heartbeat: Record<string, unknown> }> {
  const nc = requireNats(core)
  assertToken(pcId, 'pc_id', 'pc id')
  const sub = await subscribeFirst(nc, subjects.heartbeat(pcId))
  const msg = await firstMessage(sub, waitSecs * 1000)
  if (!msg) throw new ApiError('timeout', `no heartbeat from '${pcId}' within ${waitSecs} s (the agent is offline or its heartbeat interval is longer)`)
  try {
    return { heartbeat: JSON.parse(msg.string()) as Record<string, unknown> }
  } catch (e) {
    throw new ApiError('bad_gateway', `heartbeat of '${pcId}' is not JSON: ${(e as Error).message}`)
  }
}

/** logs.fetch request/reply: the agent's log tail as text; 504 without a reply, 502 on error. */
export async function agentLogs(core: CoreServices, pcId: string, tail: number): Promise<string> {
  const nc = requireNats(core)
  assertToken(pcId, 'pc_id', 'pc id')
  const subject = subjects.logsFetch(pcId)
  try {
    const reply = await nc.request(subject, utf8(encodeLogsRequest({ tail_lines: tail })), { timeout: controlTuning.logsTimeoutMs })
    return reply.string()
  } catch (e) {
    if (e instanceof NatsError && e.code === ErrorCode.Timeout) {
      throw new ApiError('gateway_timeout', `no reply on ${subject} within ${controlTuning.logsTimeoutMs / 1000} s`)
    }
    if (e instanceof NatsError && e.code === ErrorCode.NoResponders) {
      throw new ApiError('bad_gateway', `no agent answers on ${subject} (is '${pcId}' online?)`)
    }
    throw new ApiError('bad_gateway', `request on ${subject} failed: ${(e as Error).message}`)
  }
}
