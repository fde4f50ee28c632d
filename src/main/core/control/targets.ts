import { parseTimestamp } from '../../../shared/time'
import type { FanoutPlan } from '../../../shared/wire'
import type { Db } from '../db/open'
import { onlineWindowMs } from '../online-window'
import type { CoreServices } from '../services'
import { allMemberships, membersOf } from './membership'

// Expected PCs of an exec (CONVENTIONS "target_count"): listed pcs, members of the target
// groups (online or not), and for `all` the agents online now; in wave mode the members of
// the wave groups. De-duplicated; target_count is their number, at least 1.

/** Agents heard from within the online window (2 minutes, online-window.ts): the console's own receive time (last_seen_at, Q17),
 *  or the agent's `at` for rows that have no receive time (imported 0.30 databases). */
export function onlineAgents(db: Db, nowMs: number): string[] {
  const rows = db.prepare('SELECT pc_id, last_heartbeat, last_seen_at FROM agents').all() as {
    pc_id: string
    last_heartbeat: string | null
    last_seen_at: string | null
  }[]
  const cutoff = nowMs - onlineWindowMs()
  const out: string[] = []
  for (const r of rows) {
    const seen = r.last_seen_at ?? r.last_heartbeat
    const ms = seen ? parseTimestamp(seen) : null
    if (ms !== null && ms >= cutoff) out.push(r.pc_id)
  }
  return out.sort()
}

/** The groups whose members an exec expects: the wave groups in wave mode, else target.groups. */
export function expectedGroups(plan: FanoutPlan): string[] {
  const waves = plan.rollout?.waves ?? []
  return waves.length ? waves.map((w) => w.group) : plan.target.groups
}

export async function resolveExpectedPcs(core: CoreServices, plan: FanoutPlan, nowMs = core.now()): Promise<string[]> {
  const waveMode = (plan.rollout?.waves.length ?? 0) > 0
  const pcs = new Set<string>()
  const groups = expectedGroups(plan)
  if (groups.length) for (const pc of membersOf(await allMemberships(core), groups)) pcs.add(pc)
  if (!waveMode) {
    for (const pc of plan.target.pcs) pcs.add(pc)
    if (plan.target.all) for (const pc of onlineAgents(core.db, nowMs)) pcs.add(pc)
  }
  return [...pcs].sort()
}

export function targetCount(expected: readonly string[]): number {
  return Math.max(1, expected.length)
}
