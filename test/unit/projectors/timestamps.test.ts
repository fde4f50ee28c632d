// The hot-path canonicalization must equal the general one for every wire timestamp.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalNow, canonicalTime } from '../../../src/main/core/projectors/timestamps'
import { isWireTimestamp } from '../../../src/shared/wire'
import { parseTimestamp, toCanonical } from '../../../src/shared/time'
import { agentTimestamp, anyTimestampText, timestampLike } from '../wire/timestamp-arbitraries'

const general = (t: string) => toCanonical(parseTimestamp(t)!)
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

// Reference: canonicalTime as it was before the regex-free rewrite.
function referenceCanonicalTime(text: string): string {
  if (text.length >= 20 && text.charCodeAt(text.length - 1) === 90 && text[10] === 'T' && text[17] !== '6') {
    if (text.length === 20) return `${text.slice(0, 19)}.000Z`
    if (text[19] === '.') {
      const frac = text.slice(20, -1)
      if (/^\d{1,9}$/.test(frac)) return `${text.slice(0, 19)}.${frac.length >= 3 ? frac.slice(0, 3) : frac.padEnd(3, '0')}Z`
    }
  }
  return toCanonical(parseTimestamp(text)!)
}

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

  it('gives the reference result on any timestamp-like text, valid or not', () => {
    fc.assert(
      fc.property(anyTimestampText, (t) => {
        expect(canonicalTime(t), JSON.stringify(t)).toBe(referenceCanonicalTime(t))
      }),
      { numRuns: 10_000 },
    )
  })

  // Years 0–99 stay out: parseTimestamp's Date.UTC reads them as 1900–1999 while the string
  // surgery keeps the year as written.
  it('equals parse + toISOString on every wire timestamp from year 100 on', () => {
    let checked = 0
    fc.assert(
      fc.property(fc.oneof(agentTimestamp, timestampLike), (t) => {
        if (!isWireTimestamp(t) || t < '0100') return
        checked++
        expect(canonicalTime(t), t).toBe(general(t))
      }),
      { numRuns: 10_000 },
    )
    expect(checked).toBeGreaterThan(3_000)
  })

  it('returns already canonical text as is and pads or truncates other fractions', () => {
    expect(canonicalTime('2026-05-20T12:00:00.123Z')).toBe('2026-05-20T12:00:00.123Z')
    expect(canonicalTime('2026-05-20T12:00:00.12Z')).toBe('2026-05-20T12:00:00.120Z')
    expect(canonicalTime('2026-05-20T12:00:00.1234Z')).toBe('2026-05-20T12:00:00.123Z')
    expect(canonicalTime('2026-05-20T21:00:00.5+09:00')).toBe('2026-05-20T12:00:00.500Z')
    expect(canonicalTime('2026-05-20T12:00:60.5Z')).toBe('2026-05-20T12:01:00.500Z')
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
