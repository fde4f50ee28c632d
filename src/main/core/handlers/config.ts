import type { DomainHandlers } from './types'
import type { configOps } from '../../../shared/api/config'
import { allScopes, deleteScope, effectiveConfig, getScope, putScope } from '../control/config-scopes'
import { page } from '../control/paging'

const GLOBAL = { type: 'global' } as const

export const configHandlers: DomainHandlers<typeof configOps> = {
  async listConfigScopes({ core }) {
    return page(await allScopes(core), undefined)
  },
  async getGlobalConfig({ core }) {
    return getScope(core, GLOBAL)
  },
  async putGlobalConfig({ core, caller }, { body }) {
    return putScope(core, caller, GLOBAL, body)
  },
  async deleteGlobalConfig({ core, caller }) {
    await deleteScope(core, caller, GLOBAL)
  },
  async getGroupConfig({ core }, { params }) {
    return getScope(core, { type: 'group', name: params.name })
  },
  async putGroupConfig({ core, caller }, { params, body }) {
    return putScope(core, caller, { type: 'group', name: params.name }, body)
  },
  async deleteGroupConfig({ core, caller }, { params }) {
    await deleteScope(core, caller, { type: 'group', name: params.name })
  },
  async getPcConfig({ core }, { params }) {
    return getScope(core, { type: 'pc', name: params.pc_id })
  },
  async putPcConfig({ core, caller }, { params, body }) {
    return putScope(core, caller, { type: 'pc', name: params.pc_id }, body)
  },
  async deletePcConfig({ core, caller }, { params }) {
    await deleteScope(core, caller, { type: 'pc', name: params.pc_id })
  },
  async getEffectiveConfig({ core }, { params }) {
    return effectiveConfig(core, params.pc_id)
  },
}
