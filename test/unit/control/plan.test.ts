import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { TARGET_REQUIRED_MESSAGE, type Manifest } from '../../../src/shared/wire'
import { decodePlan, preparePlan } from '../../../src/main/core/control/plan'

const manifest: Manifest = {
  id: 'echo-test',
  version: '0.0.1',
  description: null,
  execute: { shell: 'powershell', script: "echo 'kanade'", timeout: '30s', run_as: 'system' },
  require_approval: false,
  inventory: null,
  staleness: { mode: 'cached' },
}

function message(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError)
    expect((e as ApiError).status).toBe(400)
    return (e as ApiError).message
  }
  throw new Error('expected a 400')
}

const prep = (body: unknown, m: Manifest = manifest) => preparePlan(decodePlan(body), m)

describe('FanoutPlan validation (kanade messages, kanade order)', () => {
  it('refuses an unspecified target with kanade’s text', () => {
    expect(message(() => prep({ target: {} }))).toBe(TARGET_REQUIRED_MESSAGE)
    expect(message(() => prep({}))).toBe(TARGET_REQUIRED_MESSAGE)
  })

  it('names the bad timeout, jitter and wave delay', () => {
    expect(message(() => prep({ target: { all: true } }, { ...manifest, execute: { ...manifest.execute, timeout: 'soon' } }))).toMatch(
      /^invalid timeout: /,
    )
    expect(message(() => prep({ target: { all: true }, jitter: '10 parsecs' }))).toMatch(/^invalid jitter: /)
    expect(
      message(() => prep({ target: { all: true }, rollout: { waves: [{ group: 'a', delay: '0s' }, { group: 'b', delay: 'later' }] } })),
    ).toMatch(/^invalid rollout\.waves\[1\]\.delay: /)
  })

  it('checks the target before the timeout, as kanade does', () => {
    expect(message(() => prep({ target: {} }, { ...manifest, execute: { ...manifest.execute, timeout: 'x' } }))).toBe(
      TARGET_REQUIRED_MESSAGE,
    )
  })

  it('refuses pc ids and group names that are not subject tokens, naming the entry', () => {
    expect(message(() => prep({ target: { pcs: ['ok', 'a.b'] } }))).toMatch(/^invalid target\.pcs\[1\] "a\.b"/)
    expect(message(() => prep({ target: { groups: ['*'] } }))).toMatch(/^invalid target\.groups\[0\]/)
    expect(message(() => prep({ target: {}, rollout: { waves: [{ group: 'x y', delay: '1s' }] } }))).toMatch(
      /^invalid rollout\.waves\[0\]\.group/,
    )
  })

  it('names a bad deadline_at through the wire decoder', () => {
    expect(message(() => decodePlan({ target: { all: true }, deadline_at: 'tomorrow' }))).toMatch(/deadline_at/)
  })
})

describe('subject planning', () => {
  it('publishes all, groups, then pcs, each subject once', () => {
    const p = prep({ target: { all: true, groups: ['g1', 'g1'], pcs: ['pc-1', 'pc-2', 'pc-1'] } })
    expect(p.waveMode).toBe(false)
    expect(p.subjects).toEqual([
      { subject: 'commands.all', delayMs: 0 },
      { subject: 'commands.group.g1', delayMs: 0 },
      { subject: 'commands.pc.pc-1', delayMs: 0 },
      { subject: 'commands.pc.pc-2', delayMs: 0 },
    ])
    expect(p.timeoutSecs).toBe(30)
    expect(p.jitterSecs).toBeNull()
  })

  it('uses the waves in wave mode (target is only a label) with their delays', () => {
    const p = prep({
      target: { groups: ['canary', 'wave1'] },
      rollout: { strategy: 'wave', waves: [{ group: 'canary', delay: '0s' }, { group: 'wave1', delay: '1m 30s' }] },
      jitter: '30s',
    })
    expect(p.waveMode).toBe(true)
    expect(p.subjects).toEqual([
      { subject: 'commands.group.canary', delayMs: 0 },
      { subject: 'commands.group.wave1', delayMs: 90_000 },
    ])
    expect(p.jitterSecs).toBe(30)
  })

  it('Q14: an empty waves list means no rollout, so the target is used', () => {
    const plan = decodePlan({ target: { pcs: ['pc-1'] }, rollout: { strategy: 'wave', waves: [] } })
    expect(plan.rollout).toBeUndefined()
    const p = preparePlan(plan, manifest)
    expect(p.waveMode).toBe(false)
    expect(p.subjects).toEqual([{ subject: 'commands.pc.pc-1', delayMs: 0 }])
    expect(message(() => prep({ target: {}, rollout: { waves: [] } }))).toBe(TARGET_REQUIRED_MESSAGE)
  })
})
