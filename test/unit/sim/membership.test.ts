import { describe, expect, it } from 'vitest'
import { GroupIndex, defaultShares, distributeGroups, normalizeGroups } from '../../../src/main/sim/membership'

describe('group distribution', () => {
  it('gives 10% to the first group and splits the rest evenly', () => {
    expect(defaultShares(3)).toEqual([0.1, 0.45, 0.45])
    const plan = distributeGroups(25, ['canary', 'wave1', 'wave2'])
    const count = (g: string) => plan.filter((x) => x === g).length
    expect(plan).toHaveLength(25)
    expect(count('canary')).toBe(2)
    expect(count('wave1') + count('wave2')).toBe(23)
    expect(Math.abs(count('wave1') - count('wave2'))).toBeLessThanOrEqual(1)
    const big = distributeGroups(5000, ['canary', 'wave1', 'wave2'])
    expect(big.filter((x) => x === 'canary')).toHaveLength(500)
  })

  it('puts at least one agent in every group when it can, and never more agents than asked', () => {
    for (const n of [1, 2, 3, 4, 7, 10]) {
      const plan = distributeGroups(n, ['canary', 'wave1', 'wave2'])
      expect(plan).toHaveLength(n)
      if (n >= 3) expect(new Set(plan).size).toBe(3)
    }
    expect(distributeGroups(4, ['only'])).toEqual(['only', 'only', 'only', 'only'])
    expect(distributeGroups(6, ['a', 'b'], [1, 1])).toEqual(['a', 'a', 'a', 'b', 'b', 'b'])
  })

  it('normalizes membership byte-wise and indexes members', () => {
    expect(normalizeGroups(['wave2', 'canary', 'Wave1', 'canary'])).toEqual(['Wave1', 'canary', 'wave2'])
    const idx = new GroupIndex<string>()
    idx.update('pc1', [], ['a', 'b'])
    idx.update('pc2', [], ['b'])
    idx.update('pc1', ['a', 'b'], ['c'])
    expect([...idx.of('b')]).toEqual(['pc2'])
    expect([...idx.of('c')]).toEqual(['pc1'])
    expect(idx.count('a')).toBe(0)
  })
})
