import { randomUUID } from 'node:crypto'
import { ApiError, notFound } from '../../../shared/api/errors'
import { KV as BUCKETS } from '../../../shared/nats-names'
import { toCanonical, toWire } from '../../../shared/time'
import { encodeFanoutPlan, type FanoutPlan } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import { putRaw } from '../nats/kv'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { execCommandJson } from './command'
import { insertExecution, markFailed, markPublished, type NewWave } from './exec-store'
import { getManifest } from './jobs'
import { bucket, flushWithin, requireNats, utf8 } from './nats'
import { decodePlan, preparePlan } from './plan'
import { resolveExpectedPcs, targetCount } from './targets'
import { nudgeWaveDispatcher } from './wave-dispatcher'
import { assertDuration, assertKey } from './validate'

// The exec pipeline (backend §5), shared by POST /api/exec/:job_id and the scheduler:
// validate → resolve expected PCs (Q1) → pin script_current (Q2) → record the exec and its
// delayed waves (Q15, Q10) → publish the exact 0.30 Command, one request_id (Q13) → audit.

export interface DispatchExecOptions {
  jobId: string
  /** A FanoutPlan, or a raw body to decode as one. */
  plan: FanoutPlan | unknown
  /** Audit actor and executions.initiated_by: the caller's actor, or `scheduler`. */
  actor: string
  /** HTTP / IPC caller: its `sub` / `source` go into the audit payload. */
  caller?: Caller
  /** Scheduler tick instant (ms); `startingDeadline` is measured from it. Default: now. */
  tickMs?: number
  /** Humantime; Command.deadline_at = tick + this (overrides the plan's deadline_at). When
   *  absent and `plan` is a whole Schedule, its `starting_deadline` is used. */
  startingDeadline?: string
  /** Recorded on the executions row when a schedule fired the exec. */
  scheduleId?: string
}

export interface ExecResponse {
  exec_id: string
  job_id: string
  version: string
  target_count: number
  subjects: string[]
}

export async function dispatchExec(core: CoreServices, opts: DispatchExecOptions): Promise<ExecResponse> {
  const nc = requireNats(core)
  assertKey(opts.jobId, 'job_id')
  const manifest = await getManifest(core, opts.jobId)
  if (!manifest) {
    throw notFound(`job '${opts.jobId}' not found in catalog — register it first with \`kanade job create <manifest.yaml>\``)
  }
  let plan = decodePlan(opts.plan)
  const nowMs = core.now()
  const startingDeadline = opts.startingDeadline ?? scheduleStartingDeadline(opts.plan)
  if (startingDeadline !== undefined) {
    const ms = assertDuration(startingDeadline, 'starting_deadline')
    plan = { ...plan, deadline_at: toWire(Math.floor((opts.tickMs ?? nowMs) + ms)) }
  }
  const prepared = preparePlan(plan, manifest)
  const expected = await resolveExpectedPcs(core, plan, nowMs)
  const execId = randomUUID()
  const requestId = randomUUID()
  const command = execCommandJson(manifest, {
    execId,
    requestId,
    timeoutSecs: prepared.timeoutSecs,
    jitterSecs: prepared.jitterSecs,
    deadlineAt: plan.deadline_at,
  })
  const subjects = prepared.subjects.map((s) => s.subject)
  const count = targetCount(expected)

  // Q2: agents compare Command.version with this pin; it must hold before any Command exists.
  try {
    await putRaw(await bucket(core, BUCKETS.scriptCurrent), manifest.id, manifest.version)
  } catch (e) {
    if (e instanceof ApiError) throw e
    throw new ApiError('bad_gateway', `pinning script_current[${manifest.id}] failed, nothing was published: ${(e as Error).message}`)
  }

  const waves: NewWave[] = []
  prepared.subjects.forEach((s, i) => {
    if (s.delayMs > 0) waves.push({ waveIndex: i, subject: s.subject, commandJson: command, dueAt: toCanonical(nowMs + s.delayMs) })
  })
  insertExecution(
    core.db,
    {
      execId,
      jobId: manifest.id,
      version: manifest.version,
      initiatedBy: opts.actor,
      initiatedAt: toCanonical(nowMs),
      targetCount: count,
      requestId,
      subjects,
      planJson: encodeFanoutPlan(plan),
      expectedPcs: expected,
      deadlineAt: plan.deadline_at ?? null,
      scheduleId: opts.scheduleId ?? null,
    },
    waves,
    toCanonical(nowMs),
  )

  const auditCaller: Caller = { ...(opts.caller ?? {}), actor: opts.actor }
  const auditBase = {
    exec_id: execId,
    version: manifest.version,
    target_count: count,
    subjects,
    wave_mode: prepared.waveMode,
    request_id: requestId,
    schedule_id: opts.scheduleId,
  }
  const immediate = prepared.subjects.filter((s) => s.delayMs === 0).map((s) => s.subject)
  const published: string[] = []
  try {
    const bytes = utf8(command)
    for (const subject of immediate) {
      nc.publish(subject, bytes)
      published.push(subject)
    }
    await flushWithin(nc)
  } catch (e) {
    const error = (e as Error).message
    // The first published.length immediate subjects went out; the rest, and every delayed wave, did not.
    let sent = published.length
    const unpublished = prepared.subjects
      .filter((s) => !(s.delayMs === 0 && sent-- > 0))
      .map((s) => s.subject)
    markFailed(core.db, execId, published, error)
    publishAudit(core, auditCaller, 'exec', manifest.id, { ...auditBase, status: 'failed', published, unpublished, error })
    core.bus.emit('execution.progress', progress(execId, manifest.id, 'failed', count))
    throw new ApiError('bad_gateway', `publishing failed after ${published.length} of ${subjects.length} subjects: ${error}`, {
      exec_id: execId,
      published,
      unpublished,
    })
  }
  markPublished(core.db, execId, published)
  if (waves.length) nudgeWaveDispatcher(core)
  publishAudit(core, auditCaller, 'exec', manifest.id, auditBase)
  core.bus.emit('execution.progress', progress(execId, manifest.id, 'pending', count))
  return { exec_id: execId, job_id: manifest.id, version: manifest.version, target_count: count, subjects }
}

/** A Schedule passed as the plan carries its own starting_deadline (protocol §5.3). */
function scheduleStartingDeadline(plan: unknown): string | undefined {
  const v = plan && typeof plan === 'object' ? (plan as { starting_deadline?: unknown }).starting_deadline : undefined
  return typeof v === 'string' ? v : undefined
}

function progress(execId: string, jobId: string, status: string, targetCount: number) {
  return { exec_id: execId, job_id: jobId, status, target_count: targetCount, success_count: 0, failure_count: 0 }
}
