import { compareBytewise } from '../../shared/wire'

// Group membership for the simulator: how `--groups canary,wave1,wave2` spreads agents
// (10% to the first group, the rest evenly, as a canary rollout wants), and the in-memory
// index that routes commands.group.<g> to the members.

/** Shares per group: one group takes everything; otherwise the first gets 10% and the
 *  others split the rest evenly (canary 10%, wave1 45%, wave2 45%). */
export function defaultShares(groupCount: number): number[] {
  if (groupCount <= 0) return []
  if (groupCount === 1) return [1]
  const rest = 0.9 / (groupCount - 1)
  return [0.1, ...Array.from({ length: groupCount - 1 }, () => rest)]
}

/** The group of each of `count` agents, in index order (contiguous blocks). Every group
 *  gets at least one agent when there are enough agents. */
export function distributeGroups(count: number, groups: readonly string[], shares = defaultShares(groups.length)): string[] {
  if (groups.length === 0) return Array.from({ length: count }, () => '')
  const total = shares.reduce((a, b) => a + b, 0)
  const sizes = shares.map((s) => Math.floor((s / total) * count))
  if (count >= groups.length) for (let i = 0; i < sizes.length; i++) if (sizes[i] === 0) sizes[i] = 1
  let assigned = sizes.reduce((a, b) => a + b, 0)
  // Hand out (or take back) the rounding remainder from the last groups.
  for (let i = sizes.length - 1; assigned < count; i = (i - 1 + sizes.length) % sizes.length) {
    sizes[i]++
    assigned++
  }
  for (let i = sizes.length - 1; assigned > count; i = (i - 1 + sizes.length) % sizes.length) {
    if (sizes[i] > 1) {
      sizes[i]--
      assigned--
    }
  }
  const out: string[] = []
  sizes.forEach((n, g) => {
    for (let k = 0; k < n; k++) out.push(groups[g])
  })
  return out.slice(0, count)
}

/** Sorted byte-wise, de-duplicated: how kanade stores and compares membership. */
export function normalizeGroups(groups: readonly string[]): string[] {
  return [...new Set(groups)].sort(compareBytewise)
}

export function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((g, i) => g === b[i])
}

/** group name → members. */
export class GroupIndex<A> {
  private readonly members = new Map<string, Set<A>>()

  update(agent: A, before: readonly string[], after: readonly string[]): void {
    for (const g of before) this.members.get(g)?.delete(agent)
    for (const g of after) {
      let set = this.members.get(g)
      if (!set) this.members.set(g, (set = new Set()))
      set.add(agent)
    }
  }

  of(group: string): Iterable<A> {
    return this.members.get(group) ?? []
  }

  count(group: string): number {
    return this.members.get(group)?.size ?? 0
  }
}
