import type { DomainHandlers } from './types'
import type { execOps } from '../../../shared/api/exec'
import { dispatchExec } from '../control/exec'
import { killExecution, killJob } from '../control/kill'

export const execHandlers: DomainHandlers<typeof execOps> = {
  async execJob({ core, caller }, { params, body }) {
    return dispatchExec(core, { jobId: params.job_id, plan: body, actor: caller.actor, caller })
  },
  async killJob({ core, caller }, { params }) {
    await killJob(core, caller, params.job_id)
  },
  async killExecution({ core, caller }, { params }) {
    await killExecution(core, caller, params.exec_id)
  },
}
