// AgentGroups — KV agent_groups[<pc_id>] (§4.8).
import { z } from 'zod'
import { decodeWith, withDefault } from './codec'
import { sortUniqueBytewise } from './common'

export interface AgentGroups {
  groups: string[]
}

// Writers produce {"groups":[…]}; the 0.30 scheduler reads a bare array, so both
// shapes are accepted (Q5). Extra keys (set_by, set_at…) are ignored.
export const AgentGroupsSchema: z.ZodType<AgentGroups> = z.union([
  z.array(z.string()).transform((groups): AgentGroups => ({ groups })),
  z
    .object({ groups: withDefault(z.array(z.string()), () => []) })
    .transform((g): AgentGroups => ({ groups: g.groups })),
])

/** Decode either shape; the order of the stored list is kept as is. */
export function decodeAgentGroups(raw: unknown): AgentGroups {
  return decodeWith('AgentGroups', AgentGroupsSchema, raw)
}

/** `{"groups":[…]}` sorted byte-wise and de-duplicated; accepts a bare list too. */
export function encodeAgentGroups(value: AgentGroups | readonly string[]): string {
  const groups = Array.isArray(value) ? value : (value as AgentGroups).groups
  return JSON.stringify({ groups: sortUniqueBytewise(decodeAgentGroups([...groups]).groups) })
}
