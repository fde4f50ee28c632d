// isWireTimestamp answers the agent form `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` with a single
// character pass; it must give exactly the answer of the regex + Date algorithm it replaced,
// kept here as the reference.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isWireTimestamp } from '../../../src/shared/wire'
import { parseTimestamp } from '../../../src/shared/time'
import { agentTimestamp, anyTimestampText, mutatedTimestamp, timestampAlphabetString, timestampLike } from './timestamp-arbitraries'

// --- reference: isWireTimestamp as it was before the single-pass check -------------------
const REF_WIRE_TS = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/

function refDaysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function referenceIsWireTimestamp(text: string): boolean {
  const m = REF_WIRE_TS.exec(text)
  if (!m) return false
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number)
  if (mo < 1 || mo > 12 || d < 1 || d > refDaysInMonth(y, mo)) return false
  if (h > 23 || mi > 59 || s > 60) return false
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false
  return parseTimestamp(text) !== null
}
// -----------------------------------------------------------------------------------------

const agrees = (text: string): void => {
  expect(isWireTimestamp(text), JSON.stringify(text)).toBe(referenceIsWireTimestamp(text))
}

describe('isWireTimestamp single-pass check', () => {
  it('agrees with the reference on near-valid field combinations', () => {
    let accepted = 0
    fc.assert(
      fc.property(timestampLike, (t) => {
        agrees(t)
        if (referenceIsWireTimestamp(t)) accepted++
      }),
      { numRuns: 20_000 },
    )
    // The generator must exercise both verdicts, or the agreement proves little.
    expect(accepted).toBeGreaterThan(2_000)
    expect(accepted).toBeLessThan(18_000)
  })

  it('accepts every valid agent-form timestamp', () => {
    fc.assert(
      fc.property(agentTimestamp, (t) => {
        expect(isWireTimestamp(t)).toBe(true)
        agrees(t)
      }),
      { numRuns: 3_000 },
    )
  })

  it('agrees with the reference on mutated timestamps and random timestamp-alphabet strings', () => {
    fc.assert(fc.property(mutatedTimestamp, agrees), { numRuns: 10_000 })
    fc.assert(fc.property(timestampAlphabetString, agrees), { numRuns: 5_000 })
    fc.assert(fc.property(anyTimestampText, agrees), { numRuns: 5_000 })
  })

  it.each([
    ['2024-02-29T00:00:00Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2000-02-29T00:00:00.5Z', true],
    ['1900-02-29T00:00:00Z', false],
    ['2100-02-29T00:00:00Z', false],
    ['0004-02-29T00:00:00Z', true],
    ['0000-02-29T00:00:00Z', false], // Date.UTC reads year 0 as 1900, a common year
    ['2026-04-31T00:00:00Z', false],
    ['2026-12-31T23:59:59.999999999Z', true],
    ['2026-12-31T23:59:59.9999999999Z', false], // 10 fractional digits
    ['2026-05-20T12:00:00.Z', false],
    ['2026-05-20T22:59:60Z', true], // leap second within the day
    ['2026-05-20T23:59:60Z', false], // rolls into the next day
    ['2026-05-20T23:59:60+09:00', false],
    ['2026-05-20T12:00:61Z', false],
    ['2026-00-20T12:00:00Z', false],
    ['2026-05-00T12:00:00Z', false],
    ['2026-05-20t12:00:00.1z', true],
    ['2026-05-20T12:00:00-23:59', true],
    ['2026-05-20T12:00:00+12:60', false],
    ['２026-05-20T12:00:00Z', false], // non-ASCII digit
  ])('%s → %s, like the reference', (text, expected) => {
    expect(isWireTimestamp(text)).toBe(expected)
    expect(referenceIsWireTimestamp(text)).toBe(expected)
  })
})
