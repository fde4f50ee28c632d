import { describe, expect, it } from 'vitest'
import { agentTimestamp, chronoDisplay, humanDuration } from '../../../src/main/sim/format'
import { parseTimestamp } from '../../../src/shared/time'
import { isWireTimestamp } from '../../../src/shared/wire'

describe('agent text formats', () => {
  it('timestamps: 9 fractional digits ending in 00 (Windows agents), none on whole seconds, same instant', () => {
    const ms = Date.UTC(2026, 4, 20, 12, 0, 0, 312)
    const t = agentTimestamp(ms)
    expect(t).toMatch(/^2026-05-20T12:00:00\.312\d{4}00Z$/)
    expect(isWireTimestamp(t)).toBe(true)
    expect(parseTimestamp(t)).toBe(ms)
    expect(agentTimestamp(Date.UTC(2026, 4, 20, 12))).toBe('2026-05-20T12:00:00Z')
    expect(agentTimestamp(ms)).toBe(t) // deterministic
  })

  it("durations as humantime writes them, whole seconds", () => {
    expect(humanDuration(0)).toBe('0s')
    expect(humanDuration(999)).toBe('0s')
    expect(humanDuration(65_400)).toBe('1m 5s')
    expect(humanDuration((3 * 3600 + 2 * 60 + 5) * 1000)).toBe('3h 2m 5s')
    expect(humanDuration((2 * 86400 + 3600) * 1000)).toBe('2days 1h')
    expect(humanDuration(86400_000)).toBe('1day')
  })

  it("chrono's display form", () => {
    expect(chronoDisplay(Date.UTC(2026, 4, 18, 9, 30))).toBe('2026-05-18 09:30:00 UTC')
    expect(chronoDisplay(Date.UTC(2026, 4, 18, 9, 30, 0, 120))).toBe('2026-05-18 09:30:00.120 UTC')
  })
})
