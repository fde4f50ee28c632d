import { parseTimestamp } from '../../../shared/time'
import { pickPlan, type FanoutPlan, type JsonValue } from '../../../shared/wire'
import { onlineAgents } from '../control/targets'
import type { Db } from '../db/open'
import type { Logger } from '../log'
import { decideFire, resolveExpectedPcs, type Completion } from './policy'
import type { FleetReads } from './source'
import type { ScheduleSpec } from './spec'
import { claimTick, recordOutcome, type TickOutcome } from './state'

// One tick of one schedule (backend reference §6.2): claim the tick in SQLite, load the
// manifest, decide with the fire policy, dispatch through the exec pipeline as `scheduler`,
// and auto-disable a finished once_* lifecycle.

/** The exec pipeline as the scheduler needs it (the control plane's dispatchExec). */
export interface Dispatcher {
  dispatch(req: DispatchRequest): Promise<{ exec_id: string }>
}

export interface DispatchRequest {
  jobId: string
  plan: FanoutPlan
  scheduleId: string
  /** The tick instant; Command.deadline_at = tick + starting_deadline. */
  tickMs: number
  startingDeadline?: string
}

/** Audit events with actor `scheduler`. */
export interface Auditor {
  audit(action: string, target: string, payload: { [key: string]: JsonValue | undefined }): void
}

export interface FireDeps {
  db: Db
  now(): number
  log: Logger
  fleet: FleetReads
  dispatcher: Dispatcher
  auditor: Auditor
  /** Persist the schedule with enabled=false; false when it changed meanwhile. */
  disable(spec: ScheduleSpec): Promise<boolean>
}

export interface TickResult {
  /** `duplicate`: this or a later tick was already handled (nothing done). */
  outcome: TickOutcome | 'duplicate'
  execId?: string
  /** fire_pcs: the PCs targeted. */
  pcs?: string[]
  message?: string
  autoDisabled?: boolean
}

/** Handle `tickMs` of `spec` unless it was handled already. `note` prefixes the stored message. */
export async function fireTick(deps: FireDeps, spec: ScheduleSpec, tickMs: number, note?: string): Promise<TickResult> {
  const id = spec.key
  if (!claimTick(deps.db, id, tickMs, deps.now())) return { outcome: 'duplicate' }
  const done = (r: TickResult): TickResult => {
    const msg = [note, r.message].filter(Boolean).join('; ') || null
    recordOutcome(deps.db, id, tickMs, r.outcome as TickOutcome, msg, deps.now(), r.execId ?? null)
    return r
  }
  try {
    return done(await decideAndDispatch(deps, spec, tickMs))
  } catch (e) {
    const message = (e as Error).message
    deps.log.warn(`schedule '${id}': tick ${new Date(tickMs).toISOString()} failed`, e)
    return done({ outcome: 'failed', message })
  }
}

async function decideAndDispatch(deps: FireDeps, spec: ScheduleSpec, tickMs: number): Promise<TickResult> {
  const s = spec.schedule
  const manifest = await deps.fleet.manifest(s.job_id)
  if (!manifest) {
    const message = `job '${s.job_id}' is not in KV jobs; this tick was skipped`
    deps.log.warn(`schedule '${spec.key}': ${message}`)
    return { outcome: 'job_missing', message }
  }
  const plan = pickPlan(s)
  const dispatch = async (p: FanoutPlan) =>
    deps.dispatcher.dispatch({
      jobId: s.job_id,
      plan: p,
      scheduleId: spec.key,
      tickMs,
      startingDeadline: s.starting_deadline,
    })

  if (s.mode === 'every_tick') {
    const r = await dispatch(plan)
    return { outcome: 'fired', execId: r.exec_id }
  }

  const nowMs = deps.now()
  const online = new Set(onlineAgents(deps.db, nowMs))
  const memberships = s.target.groups.length ? await deps.fleet.memberships() : new Map<string, string[]>()
  const agents = [...new Set([...online, ...memberships.keys()])].map((pc_id) => ({ pc_id, alive: online.has(pc_id) }))
  const expectedPcs = resolveExpectedPcs(s.target, agents, (pc) => memberships.get(pc) ?? [])
  const decision = decideFire({
    mode: s.mode,
    cooldownMs: spec.cooldownMs,
    autoDisableWhenDone: s.auto_disable_when_done,
    expectedPcs,
    completions: completionsOf(deps.db, manifest.id),
    nowMs,
  })

  let result: TickResult
  if (decision.action === 'fire_whole_target') {
    result = { outcome: 'fired', execId: (await dispatch(plan)).exec_id }
  } else if (decision.action === 'fire_pcs') {
    const { rollout: _waves, ...rest } = plan
    const r = await dispatch({ ...rest, target: { groups: [], pcs: decision.pcs, all: false } })
    result = { outcome: 'fired', execId: r.exec_id, pcs: decision.pcs }
  } else {
    result = { outcome: 'skipped', message: skipReason(s.mode, expectedPcs.length, spec.cooldownMs) }
  }

  if (decision.autoDisable) {
    if (await deps.disable(spec)) {
      deps.auditor.audit('schedule_completed', spec.key, {
        mode: s.mode === 'once_per_pc' ? 'OncePerPc' : 'OncePerTarget',
        job_id: s.job_id,
      })
      result = { ...result, autoDisabled: true, message: 'every expected PC has succeeded: the schedule was disabled' }
    } else {
      result = { ...result, message: 'the lifecycle is complete, but the schedule changed meanwhile and was not disabled' }
    }
  }
  return result
}

function skipReason(mode: string, expected: number, cooldownMs: number | null): string {
  if (expected === 0) return 'no expected PC is online or listed'
  if (mode === 'once_per_pc') {
    return cooldownMs === null ? 'every expected PC has succeeded' : 'every expected PC succeeded within the cooldown'
  }
  return cooldownMs === null ? 'the target has succeeded' : 'the target succeeded within the cooldown'
}

/** Per PC the latest successful finish of the manifest, from any exec, schedule or agent run. */
export function completionsOf(db: Db, manifestId: string): Completion[] {
  const rows = db
    .prepare(
      `SELECT pc_id, MAX(finished_at) AS finished_at FROM execution_results
       WHERE job_id = ? AND exit_code = 0 AND finished_at IS NOT NULL GROUP BY pc_id`,
    )
    .all(manifestId) as { pc_id: string; finished_at: string }[]
  const out: Completion[] = []
  for (const r of rows) {
    const ms = parseTimestamp(r.finished_at)
    if (ms !== null) out.push({ pc_id: r.pc_id, finishedAtMs: ms })
  }
  return out
}
