import type { DomainHandlers } from './types'
import type { groupsOps } from '../../../shared/api/groups'
import { addGroup, getGroups, listGroups, putGroups, removeGroup } from '../control/groups'
import { page } from '../control/paging'

export const groupsHandlers: DomainHandlers<typeof groupsOps> = {
  async listGroups({ core }) {
    return page(await listGroups(core), undefined)
  },
  async getAgentGroups({ core }, { params }) {
    return getGroups(core, params.pc_id)
  },
  async putAgentGroups({ core, caller }, { params, body }) {
    return putGroups(core, caller, params.pc_id, body.groups)
  },
  async addAgentGroup({ core, caller }, { params, body }) {
    return addGroup(core, caller, params.pc_id, body.group)
  },
  async removeAgentGroup({ core, caller }, { params }) {
    return removeGroup(core, caller, params.pc_id, params.group)
  },
}
