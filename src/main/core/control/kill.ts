import { subjects } from '../../../shared/nats-names'
import { KILL_BODY } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { activeExecIds, cancelWaves } from './exec-store'
import { flushWithin, requireNats } from './nats'
import { nudgeWaveDispatcher } from './wave-dispatcher'
import { assertKey, assertToken } from './validate'

// Layer-3 kill switch (backend §9.1): an empty core publish on kill.<exec_id>; agents running
// a child of that exec kill it (exit -1). Only online agents hear it. The console also cancels
// the exec's delayed waves, so a killed rollout does not continue.

async function killExecIds(core: CoreServices, execIds: string[]): Promise<number> {
  const nc = requireNats(core)
  for (const id of execIds) nc.publish(subjects.kill(id), KILL_BODY)
  await flushWithin(nc)
  let cancelled = 0
  for (const id of execIds) cancelled += cancelWaves(core.db, id)
  if (cancelled) nudgeWaveDispatcher(core)
  return cancelled
}

/** kanade's POST /api/jobs/:job_id/kill: every pending or running exec of the manifest. */
export async function killJob(core: CoreServices, caller: Caller, jobId: string): Promise<string[]> {
  requireNats(core)
  assertKey(jobId, 'job_id')
  const execIds = activeExecIds(core.db, jobId).filter((id) => {
    try {
      assertToken(id, 'exec_id')
      return true
    } catch {
      core.log.warn(`exec_id ${JSON.stringify(id)} cannot be a subject token; not killed`)
      return false
    }
  })
  const cancelledWaves = await killExecIds(core, execIds)
  publishAudit(core, caller, 'kill', jobId, { exec_ids: execIds, cancelled_waves: cancelledWaves })
  return execIds
}

/** POST /api/executions/:exec_id/kill. Works for exec ids without a row too (agent-side
 *  schedules mint their own), as `kanade kill <exec_id>` does. */
export async function killExecution(core: CoreServices, caller: Caller, execId: string): Promise<void> {
  requireNats(core)
  assertToken(execId, 'exec_id', 'exec id')
  const cancelledWaves = await killExecIds(core, [execId])
  publishAudit(core, caller, 'kill', execId, { exec_ids: [execId], cancelled_waves: cancelledWaves })
}
