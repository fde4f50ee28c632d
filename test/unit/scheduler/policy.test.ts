import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { compareUtf8, decideFire, resolveExpectedPcs, type ScheduleMode } from '../../../src/main/core/scheduler/policy'

// test/unit/scheduler → test/unit → test → repo root (/work/main) → /work, then shared/.
const here = fileURLToPath(new URL('.', import.meta.url))
const fixturePath = resolve(here, '../../../../shared/reference/fixtures/scheduler-decisions.json')

interface FixtureCase {
  id: string
  mode: ScheduleMode
  cooldown: string | null
  cooldown_secs: number | null
  auto_disable_when_done: boolean
  expected_pcs: string[]
  completions: { pc_id: string; finished_at: string; t: number }[]
  now: string
  now_t: number
  expected: { action: 'fire_whole_target' | 'fire_pcs' | 'skip'; pcs: string[] | null; auto_disable: boolean }
}

const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { cases: FixtureCase[] }
const T0 = 1_700_000_000_000

describe('scheduler-decisions.json fixture', () => {
  it('has the 24 cases', () => {
    expect(fixture.cases).toHaveLength(24)
  })

  for (const c of fixture.cases) {
    it(c.id, () => {
      // The RFC 3339 form and the n form must agree, or the fixture is misread.
      expect(Date.parse(c.now)).toBe(T0 + c.now_t * 1000)
      for (const done of c.completions) expect(Date.parse(done.finished_at)).toBe(T0 + done.t * 1000)

      const decision = decideFire({
        mode: c.mode,
        cooldownMs: c.cooldown_secs === null ? null : c.cooldown_secs * 1000,
        autoDisableWhenDone: c.auto_disable_when_done,
        expectedPcs: c.expected_pcs,
        completions: c.completions.map((d) => ({ pc_id: d.pc_id, finishedAtMs: Date.parse(d.finished_at) })),
        nowMs: Date.parse(c.now),
      })

      expect(decision.action).toBe(c.expected.action)
      expect(decision.autoDisable).toBe(c.expected.auto_disable)
      if (c.expected.action === 'fire_pcs') {
        expect(decision).toEqual({ action: 'fire_pcs', pcs: c.expected.pcs, autoDisable: c.expected.auto_disable })
      } else {
        expect(decision).toEqual({ action: c.expected.action, autoDisable: c.expected.auto_disable })
      }
    })
  }
})

describe('decideFire beyond the fixture', () => {
  const base = { autoDisableWhenDone: true, completions: [], nowMs: 10_000 }

  it('keeps the expected order in fire_pcs', () => {
    const d = decideFire({ ...base, mode: 'once_per_pc', cooldownMs: null, expectedPcs: ['z', 'a', 'm'] })
    expect(d).toEqual({ action: 'fire_pcs', pcs: ['z', 'a', 'm'], autoDisable: false })
  })

  it('once_per_pc with a cooldown never auto-disables, even when every PC is in cooldown', () => {
    const d = decideFire({
      ...base,
      mode: 'once_per_pc',
      cooldownMs: 60_000,
      expectedPcs: ['a'],
      completions: [{ pc_id: 'a', finishedAtMs: 9_000 }],
    })
    expect(d).toEqual({ action: 'skip', autoDisable: false })
  })

  it('once_per_target with a cooldown never auto-disables', () => {
    const d = decideFire({
      ...base,
      mode: 'once_per_target',
      cooldownMs: 60_000,
      expectedPcs: ['a'],
      completions: [{ pc_id: 'a', finishedAtMs: 9_000 }],
    })
    expect(d).toEqual({ action: 'skip', autoDisable: false })
  })

  it('a zero cooldown re-arms immediately', () => {
    const d = decideFire({
      ...base,
      mode: 'once_per_pc',
      cooldownMs: 0,
      expectedPcs: ['a'],
      completions: [{ pc_id: 'a', finishedAtMs: 10_000 }],
    })
    expect(d).toEqual({ action: 'fire_pcs', pcs: ['a'], autoDisable: false })
  })

  it('every_tick never auto-disables', () => {
    const d = decideFire({
      ...base,
      mode: 'every_tick',
      cooldownMs: null,
      expectedPcs: ['a'],
      completions: [{ pc_id: 'a', finishedAtMs: 1 }],
    })
    expect(d).toEqual({ action: 'fire_whole_target', autoDisable: false })
  })
})

describe('resolveExpectedPcs', () => {
  const agents = [
    { pc_id: 'pc-b', alive: true },
    { pc_id: 'pc-a', alive: true },
    { pc_id: 'pc-dead', alive: false },
    { pc_id: 'pc-c', alive: true },
  ]
  const membership: Record<string, string[]> = {
    'pc-a': ['lab'],
    'pc-b': ['office', 'lab'],
    'pc-dead': ['lab'],
    'pc-c': [],
  }
  const groupsOf = (pc: string) => membership[pc] ?? []

  it('all = alive agents only', () => {
    expect(resolveExpectedPcs({ all: true, groups: [], pcs: [] }, agents, groupsOf)).toEqual(['pc-a', 'pc-b', 'pc-c'])
  })

  it('groups = alive members of any listed group', () => {
    expect(resolveExpectedPcs({ all: false, groups: ['lab'], pcs: [] }, agents, groupsOf)).toEqual(['pc-a', 'pc-b'])
    expect(resolveExpectedPcs({ all: false, groups: ['office', 'nope'], pcs: [] }, agents, groupsOf)).toEqual(['pc-b'])
  })

  it('pcs are verbatim, without a liveness filter, even unknown ones', () => {
    expect(resolveExpectedPcs({ all: false, groups: [], pcs: ['pc-dead', 'ghost'] }, agents, groupsOf)).toEqual([
      'ghost',
      'pc-dead',
    ])
  })

  it('union, de-duplicated and sorted', () => {
    const got = resolveExpectedPcs({ all: false, groups: ['lab'], pcs: ['pc-a', 'pc-z', 'pc-z'] }, agents, groupsOf)
    expect(got).toEqual(['pc-a', 'pc-b', 'pc-z'])
  })

  it('an empty target resolves to nothing', () => {
    expect(resolveExpectedPcs({ all: false, groups: [], pcs: [] }, agents, groupsOf)).toEqual([])
  })

  it('sorts by bytes: uppercase before lowercase, astral after U+FFxx', () => {
    const pcs = ['b', 'B', 'a', '\u{1F600}', '\uFF21', 'ab', 'a']
    expect(resolveExpectedPcs({ all: false, groups: [], pcs }, [], () => [])).toEqual([
      'B',
      'a',
      'ab',
      'b',
      '\uFF21',
      '\u{1F600}',
    ])
    // The same order as comparing UTF-8 bytes.
    const sorted = [...pcs].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
    expect([...pcs].sort(compareUtf8)).toEqual(sorted)
  })
})
