// FanoutPlan / Target / Rollout / Wave — "who, how to phase, when to stagger" (§5.2).
// Body of POST /api/exec/{job_id}; flattened into Schedule (schedule.ts).
import { z } from 'zod'
import { compact, decodeWith, orUnset, withDefault } from './codec'
import { RolloutStrategySchema, TimestampSchema, parseHumantime, type RolloutStrategy } from './common'

export interface Target {
  groups: string[]
  pcs: string[]
  all: boolean
}

export interface Wave {
  group: string
  /** Humantime, measured from the exec's publish time. */
  delay: string
}

export interface Rollout {
  strategy: RolloutStrategy
  waves: Wave[]
}

export interface FanoutPlan {
  target: Target
  rollout?: Rollout
  /** Humantime; lowered to Command.jitter_secs. */
  jitter?: string
  deadline_at?: string
}

export const emptyTarget = (): Target => ({ groups: [], pcs: [], all: false })

export const TargetSchema: z.ZodType<Target> = z
  .object({
    groups: withDefault(z.array(z.string()), () => []),
    pcs: withDefault(z.array(z.string()), () => []),
    all: withDefault(z.boolean(), () => false),
  })
  .transform((t): Target => ({ groups: t.groups, pcs: t.pcs, all: t.all }))

// Durations stay strings here: kanade validates them only when an exec is built.
export const WaveSchema: z.ZodType<Wave> = z
  .object({ group: z.string(), delay: z.string() })
  .transform((w): Wave => ({ group: w.group, delay: w.delay }))

export const RolloutSchema: z.ZodType<Rollout> = z
  .object({
    strategy: withDefault(RolloutStrategySchema, () => 'wave' as const),
    waves: z.array(WaveSchema),
  })
  .transform((r): Rollout => ({ strategy: r.strategy, waves: r.waves }))

/** The plan's keys, reused by Schedule (which flattens them). */
export const fanoutPlanShape = {
  target: withDefault(TargetSchema, emptyTarget),
  rollout: orUnset(RolloutSchema),
  jitter: orUnset(z.string()),
  deadline_at: orUnset(TimestampSchema),
}

/** The plan part of a parsed object, in encoder order with unset keys dropped. */
export function pickPlan(p: FanoutPlan): FanoutPlan {
  return compact({
    target: { groups: p.target.groups, pcs: p.target.pcs, all: p.target.all },
    rollout: p.rollout && { strategy: p.rollout.strategy, waves: p.rollout.waves.map((w) => ({ group: w.group, delay: w.delay })) },
    jitter: p.jitter,
    deadline_at: p.deadline_at,
  })
}

export const FanoutPlanSchema: z.ZodType<FanoutPlan> = z.object(fanoutPlanShape).transform(pickPlan)

/** Decode a plan; missing target lists → [], `all` → false, rollout / jitter / deadline_at unset. */
export function decodeFanoutPlan(raw: unknown): FanoutPlan {
  return decodeWith('FanoutPlan', FanoutPlanSchema, raw)
}

/** Compact JSON: target always written with all three keys; the others omitted when unset. */
export function encodeFanoutPlan(plan: FanoutPlan): string {
  return JSON.stringify(pickPlan(decodeFanoutPlan(plan)))
}

/** A target is "specified" when `all` is true or a list is non-empty (§5.2). */
export function isTargetSpecified(target: Target): boolean {
  return target.all || target.groups.length > 0 || target.pcs.length > 0
}

export const TARGET_REQUIRED_MESSAGE =
  'target must specify at least one of `all` / `groups` / `pcs` (or set `rollout.waves`)'

/** The exec-time checks of §5.4 that depend on the plan alone, in kanade's order: the
 *  first failure's 400 text, or null when the plan can be executed. */
export function validateFanoutPlan(plan: FanoutPlan): string | null {
  const waves = plan.rollout?.waves ?? []
  if (!isTargetSpecified(plan.target) && waves.length === 0) return TARGET_REQUIRED_MESSAGE
  if (plan.jitter !== undefined) {
    try {
      parseHumantime(plan.jitter)
    } catch (e) {
      return `invalid jitter: ${(e as Error).message}`
    }
  }
  for (const [i, w] of waves.entries()) {
    try {
      parseHumantime(w.delay)
    } catch (e) {
      return `invalid rollout.waves[${i}].delay: ${(e as Error).message}`
    }
  }
  return null
}
