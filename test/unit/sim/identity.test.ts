import { describe, expect, it } from 'vitest'
import { agentIdentity } from '../../../src/main/sim/identity'
import { isValidToken } from '../../../src/shared/nats-names'

describe('agent identities', () => {
  const fleet = Array.from({ length: 2000 }, (_, i) => agentIdentity(i, { seed: 1 }, 0))

  it('are unique, valid subject tokens, mostly Windows on 0.30.x', () => {
    expect(new Set(fleet.map((a) => a.pcId)).size).toBe(fleet.length)
    expect(fleet.every((a) => isValidToken(a.pcId) && a.hostname === a.pcId)).toBe(true)
    expect(fleet.every((a) => /^0\.30\.\d+$/.test(a.agentVersion))).toBe(true)
    const windows = fleet.filter((a) => a.osFamily === 'windows').length / fleet.length
    expect(windows).toBeGreaterThan(0.88)
    expect(windows).toBeLessThan(0.99)
    expect(fleet.find((a) => a.osFamily === 'windows')!.pcId).toMatch(/^[A-Z]+-(PC|LT)-\d{4}$/)
  })

  it('are reproducible from the seed and differ across seeds', () => {
    expect(agentIdentity(42, { seed: 1 }, 0)).toEqual(fleet[42])
    const other = Array.from({ length: 50 }, (_, i) => agentIdentity(i, { seed: 2 }, 0))
    expect(other.map((a) => a.facts.serial_number)).not.toEqual(fleet.slice(0, 50).map((a) => a.facts.serial_number))
  })

  it('assign behaviour profiles at the requested rates', () => {
    const share = (p: string) => fleet.filter((a) => a.profile === p).length / fleet.length
    expect(share('flapping')).toBeGreaterThan(0.005)
    expect(share('flapping')).toBeLessThan(0.04)
    expect(share('slow')).toBeGreaterThan(0.03)
    expect(share('slow')).toBeLessThan(0.08)
    const calm = Array.from({ length: 200 }, (_, i) => agentIdentity(i, { seed: 1, failRate: 0, slowRate: 0, flapRate: 0 }, 0))
    expect(calm.every((a) => a.profile === 'normal')).toBe(true)
  })

  it('uses a prefix when asked and has plausible facts', () => {
    const a = agentIdentity(6, { seed: 3, namePrefix: 'PC-' }, 0)
    expect(a.pcId).toBe('PC-0007')
    expect(a.facts.ram_bytes).toBeGreaterThanOrEqual(8 * 1024 ** 3)
    expect(a.facts.disks[0].free_bytes).toBeLessThan(a.facts.disks[0].size_bytes)
    expect(a.facts.last_boot).toBeLessThan(0)
  })
})
