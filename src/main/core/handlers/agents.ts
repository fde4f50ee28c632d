import type { DomainHandlers } from './types'
import type { agentsOps } from '../../../shared/api/agents'
import { decodeAgentGroups } from '../../../shared/wire/agent-groups'
import { KV } from '../../../shared/nats-names'
import { notFound } from '../../../shared/api/errors'
import { getAgent, listAgents } from '../queries/agents'
import { readCatalog } from '../kv-mirror/source'
import type { CoreServices } from '../services'

// Agents roster. Groups come from KV agent_groups (both stored shapes, Q5), or its SQLite
// mirror without a broker, and are read only when a request asks for them.

function groupsOf(text: string): string[] {
  try {
    return decodeAgentGroups(JSON.parse(text)).groups
  } catch {
    return []
  }
}

async function groupMap(core: CoreServices, pcIds?: readonly string[]): Promise<Map<string, string[]>> {
  const raw = await readCatalog(core, KV.agentGroups, { only: pcIds, missing: 'empty' })
  return new Map([...raw].map(([pc, e]) => [pc, groupsOf(e.value)]))
}

export const agentsHandlers: DomainHandlers<typeof agentsOps> = {
  async listAgents({ core }, { query }) {
    let pcIds: string[] | null = null
    if (query.group) {
      const all = await groupMap(core)
      pcIds = [...all].filter(([, groups]) => groups.includes(query.group!)).map(([pc]) => pc)
    }
    const res = listAgents(core.db, { ...query, pcIds }, core.now())
    if (query.include_groups) {
      const groups = await groupMap(core, res.items.map((a) => a.pc_id))
      for (const a of res.items) a.groups = groups.get(a.pc_id) ?? []
    }
    return res
  },

  async getAgent({ core }, { params, query }) {
    const agent = getAgent(core.db, params.pc_id, core.now())
    if (!agent) throw notFound(`agent '${params.pc_id}' not found`)
    if (query.include_groups) agent.groups = (await groupMap(core, [agent.pc_id])).get(agent.pc_id) ?? []
    return agent
  },
}
