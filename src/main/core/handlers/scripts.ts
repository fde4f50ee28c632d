import type { DomainHandlers } from './types'
import type { scriptsOps } from '../../../shared/api/scripts'
import { scriptStatuses, setScriptStatus } from '../control/scripts'

export const scriptsHandlers: DomainHandlers<typeof scriptsOps> = {
  async scriptsStatus({ core }) {
    return scriptStatuses(core)
  },
  async revokeScript({ core, caller }, { params }) {
    await setScriptStatus(core, caller, params.cmd_id, 'REVOKED')
  },
  async unrevokeScript({ core, caller }, { params }) {
    await setScriptStatus(core, caller, params.cmd_id, 'ACTIVE')
  },
}
