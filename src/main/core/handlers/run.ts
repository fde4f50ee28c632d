import type { z } from 'zod'
import type { DomainHandlers } from './types'
import type { HeartbeatShape, RunResult, runOps } from '../../../shared/api/run'
import { adhocRun, agentLogs, pingAgent } from '../control/run'

export const runHandlers: DomainHandlers<typeof runOps> = {
  async runScript({ core, caller }, { body }) {
    // The agent's ExecResult, verbatim (kanade returns the message body as is).
    return (await adhocRun(core, caller, body)) as z.infer<typeof RunResult>
  },
  async pingAgent({ core }, { params, query }) {
    const { heartbeat } = await pingAgent(core, params.pc_id, query.wait_secs)
    return { heartbeat: heartbeat as z.infer<typeof HeartbeatShape> }
  },
  async agentLogs({ core }, { params, query }) {
    return agentLogs(core, params.pc_id, query.tail)
  },
}
