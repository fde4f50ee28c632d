import { describe, expect, it } from 'vitest'
import { canonicalize, parseTimestamp, toWire } from '../../../src/shared/time'

describe('timestamps (Q3)', () => {
  it.each([
    ['2026-05-20T12:00:00Z', '2026-05-20T12:00:00.000Z'],
    ['2026-05-20T12:00:00.123Z', '2026-05-20T12:00:00.123Z'],
    ['2026-05-20T12:00:00.123456700Z', '2026-05-20T12:00:00.123Z'],
    ['2026-05-20T12:00:05+00:00', '2026-05-20T12:00:05.000Z'],
    ['2026-05-20T21:00:00+09:00', '2026-05-20T12:00:00.000Z'],
    ['2026-05-20 12:00:05', '2026-05-20T12:00:05.000Z'],
  ])('%s → %s', (input, want) => expect(canonicalize(input)).toBe(want))

  it.each(['', 'yesterday', '2026-05-20T12:00:00', '2026-13-45T12:00:00Z'])('rejects %j', (t) => {
    expect(parseTimestamp(t)).toBeNull()
  })

  it('wire form omits zero fractions', () => {
    expect(toWire(Date.UTC(2026, 4, 20, 12))).toBe('2026-05-20T12:00:00Z')
    expect(toWire(Date.UTC(2026, 4, 20, 12, 0, 0, 5))).toBe('2026-05-20T12:00:00.005Z')
  })
})
