import { badRequest, conflict } from '../../../shared/api/errors'
import { KV as BUCKETS } from '../../../shared/nats-names'
import type { Caller } from '../handlers/types'
import { readCatalog, readCatalogKey } from '../kv-mirror/source'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { allScopes } from './config-scopes'
import { groupsJson, normaliseGroups, parseGroups, readGroups } from './membership'
import { bucket } from './nats'
import { assertToken } from './validate'

// Manual group membership: KV agent_groups[<pc_id>] = {"groups":[…]} sorted, de-duplicated
// (protocol §4.8). Read-modify-write with compare-and-set, so two admins adding groups to the
// same PC at once both win. Audited as groups_put (Q18).

const CAS_ATTEMPTS = 5

export async function getGroups(core: CoreServices, pcId: string): Promise<{ groups: string[] }> {
  assertToken(pcId, 'pc_id', 'pc id')
  const entry = await readCatalogKey(core, BUCKETS.agentGroups, pcId)
  return { groups: normaliseGroups(entry ? parseGroups(entry.value) : []) }
}

/** Apply `change` to the PC's groups; writes (and audits) only when the result differs. */
async function modifyGroups(
  core: CoreServices,
  caller: Caller,
  pcId: string,
  change: (groups: string[]) => string[],
  detail: Record<string, string>,
): Promise<{ groups: string[] }> {
  assertToken(pcId, 'pc_id', 'pc id')
  const kv = await bucket(core, BUCKETS.agentGroups)
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const current = await readGroups(kv, pcId)
    const before = normaliseGroups(current.groups)
    const after = normaliseGroups(change(before))
    const same = JSON.stringify(before) === JSON.stringify(after)
    // Nothing to write when the result equals the stored, already normalised value (a
    // missing entry already reads as no groups).
    if (same && (current.revision === 0 || JSON.stringify(current.groups) === JSON.stringify(before))) {
      return { groups: after }
    }
    const data = new TextEncoder().encode(groupsJson(after))
    try {
      if (current.revision === 0) await kv.create(pcId, data)
      else await kv.update(pcId, data, current.revision)
    } catch (e) {
      if (/wrong last sequence|key exists/i.test((e as Error).message)) continue
      throw e
    }
    publishAudit(core, caller, 'groups_put', pcId, { groups: after, ...detail })
    return { groups: after }
  }
  throw conflict(`the groups of '${pcId}' kept changing while they were being updated; try again`)
}

function checkGroups(groups: readonly string[], field: string): void {
  groups.forEach((g, i) => assertToken(g, `${field}[${i}]`, 'group name'))
}

export async function putGroups(core: CoreServices, caller: Caller, pcId: string, groups: string[]): Promise<{ groups: string[] }> {
  checkGroups(groups, 'groups')
  return modifyGroups(core, caller, pcId, () => groups, {})
}

export async function addGroup(core: CoreServices, caller: Caller, pcId: string, group: string): Promise<{ groups: string[] }> {
  if (!group.trim()) throw badRequest('invalid group: must not be blank')
  assertToken(group, 'group', 'group name')
  return modifyGroups(core, caller, pcId, (gs) => [...gs, group], { added: group })
}

export async function removeGroup(core: CoreServices, caller: Caller, pcId: string, group: string): Promise<{ groups: string[] }> {
  assertToken(group, 'group', 'group name')
  return modifyGroups(core, caller, pcId, (gs) => gs.filter((g) => g !== group), { removed: group })
}

export interface GroupRow {
  name: string
  members: string[]
  member_count: number
  has_config: boolean
}

/** Every group named by a membership or a groups.<g> scope, sorted by name. */
export async function listGroups(core: CoreServices): Promise<GroupRow[]> {
  const members = new Map<string, string[]>()
  for (const [pc, entry] of await readCatalog(core, BUCKETS.agentGroups, { missing: 'unavailable' })) {
    for (const g of new Set(parseGroups(entry.value))) members.set(g, [...(members.get(g) ?? []), pc])
  }
  const configured = new Set((await allScopes(core)).filter((r) => r.type === 'group').map((r) => r.name!))
  const names = [...new Set([...members.keys(), ...configured])].sort()
  return names.map((name) => {
    const m = (members.get(name) ?? []).sort()
    return { name, members: m, member_count: m.length, has_config: configured.has(name) }
  })
}
