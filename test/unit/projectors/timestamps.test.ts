// The hot-path canonicalization must equal the general one for every wire timestamp.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalNow, canonicalTime } from '../../../src/main/core/projectors/timestamps'
import { isWireTimestamp } from '../../../src/shared/wire'
import { parseTimestamp, toCanonical } from '../../../src/shared/time'

const general = (t: string) => toCanonical(parseTimestamp(t)!)
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

describe('canonicalTime', () => {
  it('equals parse + toISOString on generated wire timestamps', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
        fc.constantFrom('Z', 'z', '+00:00', '+09:00', '-05:30'),
        fc.constantFrom('T', 't'),
        fc.boolean(),
        (d, frac, zone, sep, leap) => {
          const sec = leap ? '60' : pad(d.getUTCSeconds())
          const t = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${sep}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${sec}${frac !== undefined ? `.${frac}` : ''}${zone}`
          if (!isWireTimestamp(t)) return
          expect(canonicalTime(t)).toBe(general(t))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('handles the common agent forms', () => {
    expect(canonicalTime('2026-05-20T12:00:00Z')).toBe('2026-05-20T12:00:00.000Z')
    expect(canonicalTime('2026-05-20T12:00:00.1Z')).toBe('2026-05-20T12:00:00.100Z')
    expect(canonicalTime('2026-05-20T12:00:00.123456789Z')).toBe('2026-05-20T12:00:00.123Z')
    expect(canonicalTime('2026-05-20T23:59:60Z')).toBe(general('2026-05-20T23:59:60Z'))
    expect(canonicalTime('2026-05-20T12:00:00+00:00')).toBe('2026-05-20T12:00:00.000Z')
  })

  it('canonicalNow renders the clock like toCanonical', () => {
    for (const ms of [0, 1_779_278_400_123, 1_779_278_400_123, 1_779_278_400_999]) expect(canonicalNow(ms)).toBe(toCanonical(ms))
  })
})
