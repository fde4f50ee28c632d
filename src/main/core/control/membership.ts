import type { KV } from 'nats'
import { KV as BUCKETS } from '../../../shared/nats-names'
import { decodeAgentGroups, encodeAgentGroups, sortUniqueBytewise } from '../../../shared/wire'
import type { CoreServices } from '../services'
import { snapshotKv } from './kv-snapshot'
import { bucket } from './nats'

// Group membership from KV agent_groups. Both stored shapes are read ({"groups":[…]} and a
// bare list, Q5); an undecodable value means "no groups", as agents treat it.

const dec = new TextDecoder()

export function parseGroups(value: Uint8Array | string): string[] {
  try {
    const text = typeof value === 'string' ? value : dec.decode(value)
    return decodeAgentGroups(JSON.parse(text)).groups
  } catch {
    return []
  }
}

/** pc id → its groups, for every PC with an entry. */
export async function allMemberships(core: CoreServices): Promise<Map<string, string[]>> {
  const kv = await bucket(core, BUCKETS.agentGroups)
  const out = new Map<string, string[]>()
  for (const [pc, entry] of await snapshotKv(kv)) out.set(pc, parseGroups(entry.value))
  return out
}

/** PCs whose entry lists any of `groups`. */
export function membersOf(memberships: Map<string, string[]>, groups: readonly string[]): string[] {
  const want = new Set(groups)
  const pcs: string[] = []
  for (const [pc, gs] of memberships) if (gs.some((g) => want.has(g))) pcs.push(pc)
  return pcs
}

/** One PC's groups with the entry's revision (0 = no entry), for compare-and-set writes. */
export async function readGroups(kv: KV, pcId: string): Promise<{ groups: string[]; revision: number }> {
  const e = await kv.get(pcId)
  if (!e || e.operation !== 'PUT') return { groups: [], revision: e?.revision ?? 0 }
  return { groups: parseGroups(e.value), revision: e.revision }
}

/** Normalised stored form: sorted byte-wise, de-duplicated, object shape. */
export function normaliseGroups(groups: readonly string[]): string[] {
  return sortUniqueBytewise(groups)
}

export function groupsJson(groups: readonly string[]): string {
  return encodeAgentGroups([...groups])
}
