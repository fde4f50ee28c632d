import { z } from 'zod'
import { op, type OperationDef } from './op'

// Manual group membership in KV agent_groups (routes 4–7) and the list of known groups.

export const AgentGroupsShape = z.object({ groups: z.array(z.string()) })

export const GroupRow = z.object({
  name: z.string(),
  /** PCs whose agent_groups entry lists the group, sorted. */
  members: z.array(z.string()),
  member_count: z.number().int(),
  /** A groups.<name> scope exists in agent_config. */
  has_config: z.boolean(),
})

const PcParams = z.object({ pc_id: z.string() })

export const groupsOps = {
  listGroups: op({
    method: 'GET',
    path: '/api/groups',
    summary: 'Every group named in agent_groups or agent_config, with its members',
    response: GroupRow,
    list: true,
  }),
  getAgentGroups: op({
    method: 'GET',
    path: '/api/agents/:pc_id/groups',
    summary: 'Groups of one PC ({"groups":[]} when unset)',
    params: PcParams,
    response: AgentGroupsShape,
  }),
  putAgentGroups: op({
    method: 'PUT',
    path: '/api/agents/:pc_id/groups',
    summary: 'Replace the groups of one PC (stored sorted, de-duplicated)',
    params: PcParams,
    body: AgentGroupsShape,
    response: AgentGroupsShape,
    mutates: true,
    nats: true,
  }),
  addAgentGroup: op({
    method: 'POST',
    path: '/api/agents/:pc_id/groups',
    summary: 'Add one group to a PC',
    params: PcParams,
    body: z.object({ group: z.string() }),
    response: AgentGroupsShape,
    mutates: true,
    nats: true,
  }),
  removeAgentGroup: op({
    method: 'DELETE',
    path: '/api/agents/:pc_id/groups/:group',
    summary: 'Remove one group from a PC',
    params: z.object({ pc_id: z.string(), group: z.string() }),
    response: AgentGroupsShape,
    mutates: true,
    nats: true,
  }),
} as const satisfies Record<string, OperationDef>
