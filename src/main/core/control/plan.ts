import { badRequest } from '../../../shared/api/errors'
import { subjects as subj } from '../../../shared/nats-names'
import {
  decodeFanoutPlan,
  humantimeSecs,
  isTargetSpecified,
  TARGET_REQUIRED_MESSAGE,
  WireDecodeError,
  type FanoutPlan,
  type Manifest,
} from '../../../shared/wire'
import { assertDuration, assertToken } from './validate'

// Validation and subject planning of a FanoutPlan (backend §5 steps 1 and 3, protocol §5.4),
// with kanade's 400 messages, in kanade's order: target, timeout, jitter, wave delays.

export interface PlannedSubject {
  subject: string
  /** 0 = publish now; > 0 = a delayed wave, persisted (Q10). */
  delayMs: number
}

export interface PreparedPlan {
  plan: FanoutPlan
  waveMode: boolean
  timeoutSecs: number
  jitterSecs: number | null
  subjects: PlannedSubject[]
}

export function decodePlan(body: unknown): FanoutPlan {
  let plan: FanoutPlan
  try {
    plan = decodeFanoutPlan(body ?? {})
  } catch (e) {
    if (e instanceof WireDecodeError) throw badRequest(e.message)
    throw e
  }
  // Q14: an empty waves list means "no rollout"; the plan's target is used.
  if (plan.rollout && plan.rollout.waves.length === 0) {
    const { rollout: _dropped, ...rest } = plan
    plan = rest
  }
  return plan
}

export function preparePlan(plan: FanoutPlan, manifest: Manifest): PreparedPlan {
  const waves = plan.rollout?.waves ?? []
  const waveMode = waves.length > 0
  if (!waveMode && !isTargetSpecified(plan.target)) throw badRequest(TARGET_REQUIRED_MESSAGE)
  assertDuration(manifest.execute.timeout, 'timeout', 'invalid timeout')
  const timeoutSecs = humantimeSecs(manifest.execute.timeout)
  let jitterSecs: number | null = null
  if (plan.jitter !== undefined) {
    assertDuration(plan.jitter, 'jitter', 'invalid jitter')
    jitterSecs = humantimeSecs(plan.jitter)
  }
  // Every delay is checked before anything is published.
  const delays = waves.map((w, i) => assertDuration(w.delay, `rollout.waves[${i}].delay`))
  waves.forEach((w, i) => assertToken(w.group, `rollout.waves[${i}].group`, 'group name'))
  plan.target.groups.forEach((g, i) => assertToken(g, `target.groups[${i}]`, 'group name'))
  plan.target.pcs.forEach((p, i) => assertToken(p, `target.pcs[${i}]`, 'pc id'))

  const planned: PlannedSubject[] = []
  if (waveMode) {
    waves.forEach((w, i) => planned.push({ subject: subj.commandsGroup(w.group), delayMs: Math.floor(delays[i]) }))
  } else {
    const seen = new Set<string>()
    const add = (s: string) => {
      if (!seen.has(s)) planned.push({ subject: s, delayMs: 0 })
      seen.add(s)
    }
    if (plan.target.all) add(subj.commandsAll)
    for (const g of plan.target.groups) add(subj.commandsGroup(g))
    for (const p of plan.target.pcs) add(subj.commandsPc(p))
  }
  return { plan, waveMode, timeoutSecs, jitterSecs, subjects: planned }
}
