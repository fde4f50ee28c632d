// Who an exec would reach, computed in the page before sending (CONVENTIONS "target_count"):
// listed PCs, members of the listed groups (online or not), for `all` the PCs online now;
// with waves, the members of the wave groups. A PC reached twice counts once.

export interface Plan {
  mode: 'all' | 'groups' | 'pcs'
  groups: string[]
  pcs: string[]
  waves: { group: string; delay: string }[]
}

export interface Blast {
  /** Distinct PCs expected to run it. */
  pcs: string[]
  offline: string[]
  all: boolean
}

export function blastRadius(plan: Plan, members: Map<string, string[]>, online: Set<string>): Blast {
  const reach = new Set<string>()
  const waves = plan.waves.filter((w) => w.group.trim())
  if (waves.length) {
    for (const w of waves) for (const pc of members.get(w.group) ?? []) reach.add(pc)
  } else if (plan.mode === 'all') {
    return { pcs: [...online].sort(), offline: [], all: true }
  } else if (plan.mode === 'groups') {
    for (const g of plan.groups) for (const pc of members.get(g) ?? []) reach.add(pc)
  } else {
    for (const pc of plan.pcs) reach.add(pc)
  }
  const pcs = [...reach].sort()
  return { pcs, offline: pcs.filter((pc) => !online.has(pc)), all: false }
}

/** The FanoutPlan body sent to POST /api/exec/:job_id. */
export function fanoutBody(plan: Plan, jitter: string, deadlineIso: string) {
  const waves = plan.waves.filter((w) => w.group.trim())
  return {
    target: {
      all: plan.mode === 'all' && !waves.length,
      groups: plan.mode === 'groups' && !waves.length ? plan.groups : [],
      pcs: plan.mode === 'pcs' && !waves.length ? plan.pcs : [],
    },
    rollout: waves.length ? { strategy: 'wave' as const, waves: waves.map((w) => ({ group: w.group.trim(), delay: w.delay.trim() || '0s' })) } : undefined,
    jitter: jitter.trim() || undefined,
    deadline_at: deadlineIso || undefined,
  }
}
