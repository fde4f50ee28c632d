// Pure fire decision of the scheduler (backend reference §6.3–§6.4, kanade's
// `scheduler/policy.rs`). No I/O: the caller resolves expected PCs and completions.
// Fixture: shared/reference/fixtures/scheduler-decisions.json.

/** Same values as the wire `ExecMode`. */
export type ScheduleMode = 'every_tick' | 'once_per_pc' | 'once_per_target'

/** One successful run (exit_code 0) of the schedule's manifest, from any source (F5). */
export interface Completion {
  pc_id: string
  finishedAtMs: number
}

export interface DecideFireInput {
  mode: ScheduleMode
  /** Re-arm period; null = succeed once, never again. */
  cooldownMs: number | null
  autoDisableWhenDone: boolean
  /** Already resolved (see resolveExpectedPcs); order is kept in `fire_pcs`. */
  expectedPcs: string[]
  completions: Completion[]
  nowMs: number
}

export type FireAction =
  | { action: 'fire_whole_target' }
  | { action: 'fire_pcs'; pcs: string[] }
  | { action: 'skip' }

/** `autoDisable` = persist the schedule with enabled=false and audit schedule_completed. */
export type FireDecision = FireAction & { autoDisable: boolean }

export function decideFire(input: DecideFireInput): FireDecision {
  switch (input.mode) {
    case 'every_tick':
      // No dedup, no PC resolution: the broker fans out to the original subjects.
      return { action: 'fire_whole_target', autoDisable: false }
    case 'once_per_pc':
      return decideOncePerPc(input)
    case 'once_per_target':
      return decideOncePerTarget(input)
    default: {
      const never: never = input.mode
      throw new Error(`unknown schedule mode '${String(never)}'`)
    }
  }
}

/** Boundary inclusive: a PC / target re-arms when now − latest ≥ cooldown. */
function rearmed(latestMs: number | undefined, cooldownMs: number | null, nowMs: number): boolean {
  if (latestMs === undefined) return true
  if (cooldownMs === null) return false
  return nowMs - latestMs >= cooldownMs
}

function latestPerPc(completions: Completion[]): Map<string, number> {
  const latest = new Map<string, number>()
  for (const c of completions) {
    const prev = latest.get(c.pc_id)
    if (prev === undefined || c.finishedAtMs > prev) latest.set(c.pc_id, c.finishedAtMs)
  }
  return latest
}

function decideOncePerPc(input: DecideFireInput): FireDecision {
  const latest = latestPerPc(input.completions)
  // Completions of PCs that are not expected simply never get looked up.
  const eligible = input.expectedPcs.filter((pc) => rearmed(latest.get(pc), input.cooldownMs, input.nowMs))
  if (eligible.length > 0) return { action: 'fire_pcs', pcs: eligible, autoDisable: false }

  // An empty target is not "all done": PCs may simply not have heartbeated yet.
  const allDone = input.expectedPcs.length > 0 && input.expectedPcs.every((pc) => latest.has(pc))
  return {
    action: 'skip',
    autoDisable: input.autoDisableWhenDone && input.cooldownMs === null && allDone,
  }
}

function decideOncePerTarget(input: DecideFireInput): FireDecision {
  // Only currently expected PCs count, so a decommissioned PC's old success cannot
  // mute the schedule forever.
  const expected = new Set(input.expectedPcs)
  let latest: number | undefined
  for (const c of input.completions) {
    if (expected.has(c.pc_id) && (latest === undefined || c.finishedAtMs > latest)) latest = c.finishedAtMs
  }
  const armed = rearmed(latest, input.cooldownMs, input.nowMs)
  if (armed && input.expectedPcs.length > 0) return { action: 'fire_whole_target', autoDisable: false }
  return {
    action: 'skip',
    autoDisable: !armed && input.cooldownMs === null && input.autoDisableWhenDone && latest !== undefined,
  }
}

export interface ScheduleTarget {
  all: boolean
  groups: string[]
  pcs: string[]
}

export interface AgentLiveness {
  pc_id: string
  /** Heartbeat received within the last 2 minutes (CONVENTIONS "Online"). */
  alive: boolean
}

/**
 * Expected PCs of a target (§6.3, console decision Q5): `all` → alive agents; `groups` →
 * alive agents that are in any listed group (`groupsOf` returns the already parsed
 * membership, either stored shape); `pcs` → verbatim, no liveness filter. Union,
 * de-duplicated, sorted byte-wise (UTF-8 order, as kanade sorts Rust strings).
 */
export function resolveExpectedPcs(
  target: ScheduleTarget,
  agents: AgentLiveness[],
  groupsOf: (pc: string) => string[],
): string[] {
  const out = new Set<string>()
  const wanted = new Set(target.groups)
  for (const agent of agents) {
    if (!agent.alive) continue
    if (target.all) {
      out.add(agent.pc_id)
    } else if (wanted.size > 0 && groupsOf(agent.pc_id).some((g) => wanted.has(g))) {
      out.add(agent.pc_id)
    }
  }
  for (const pc of target.pcs) out.add(pc)
  return [...out].sort(compareUtf8)
}

/** UTF-8 byte order equals code point order; JS's default sort uses UTF-16 units,
 *  which differs for astral characters versus U+E000–U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!
    const cb = b.codePointAt(i)!
    if (ca !== cb) return ca < cb ? -1 : 1
    if (ca > 0xffff) i++ // same surrogate pair on both sides: skip its low half
  }
  return a.length - b.length
}
