import { describe, expect, it } from 'vitest'
import {
  StalenessSchema,
  TimestampSchema,
  compareBytewise,
  formatDuration,
  humantimeSecs,
  isHumantime,
  isWireTimestamp,
  parseHumantime,
  sortUniqueBytewise,
} from '../../../src/shared/wire'

describe('parseHumantime', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h 30m', 5_400_000],
    ['1h30m', 5_400_000],
    ['24h', 86_400_000],
    ['1d', 86_400_000],
    ['600s', 600_000],
    ['0s', 0],
    ['2w', 14 * 86_400_000],
    ['1M', 2_630_016_000],
    ['1y', 31_557_600_000],
    ['1months', 2_630_016_000],
    ['2 years', 2 * 31_557_600_000],
    ['250ms', 250],
    ['250msec', 250],
    ['1500us', 1.5],
    ['1500usec', 1.5],
    ['2000000ns', 2],
    ['2000000nsec', 2],
    ['1sec 1second 1seconds', 3_000],
    ['1min 1minute 1minutes', 180_000],
    ['1hr 1hour 1hours', 3 * 3_600_000],
    ['1day 1days', 2 * 86_400_000],
    ['1week 1weeks', 14 * 86_400_000],
    ['1year', 31_557_600_000],
    ['  5m  ', 300_000],
    ['5 m', 300_000],
  ])('%j = %d ms', (text, ms) => {
    expect(parseHumantime(text)).toBe(ms)
    expect(isHumantime(text)).toBe(true)
  })

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['30', /missing unit/],
    ['5x', /unknown unit "x"/],
    ['1.5h', /invalid character/],
    ['-5s', /expected a number/],
    ['h', /expected a number/],
    ['5mins', /unknown unit/], // later humantime alias, not in 0.30's list
    ['5S', /unknown unit "S"/], // units are case-sensitive ("M" is months)
    ['99999999999999999999s', /too large/],
  ])('rejects %j', (text, error) => {
    expect(() => parseHumantime(text)).toThrow(error)
    expect(isHumantime(text)).toBe(false)
  })

  it('distinguishes M (months) from m (minutes)', () => {
    expect(parseHumantime('1M')).not.toBe(parseHumantime('1m'))
  })

  it('humantimeSecs truncates the sub-second part', () => {
    expect(humantimeSecs('5m')).toBe(300)
    expect(humantimeSecs('1500ms')).toBe(1)
    expect(humantimeSecs('999ms')).toBe(0)
    expect(humantimeSecs('10m')).toBe(600)
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [1_000, '1s'],
    [1_500, '1s'],
    [30_000, '30s'],
    [90_000, '90s'],
    [300_000, '5m'],
    [5_400_000, '90m'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [90_000_000, '25h'],
    [7 * 86_400_000, '7d'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
    expect(text).toMatch(/^\d+[smhd]$/)
    expect(parseHumantime(text)).toBe(Math.floor(ms / 1000) * 1000)
  })

  it('rejects negative and non-finite values', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError)
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError)
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})

describe('wire timestamps', () => {
  it.each([
    '2026-05-20T12:00:00Z',
    '2026-05-20T12:00:00.123Z',
    '2026-05-20T12:00:00.123456Z',
    '2026-05-20T12:00:00.123456700Z',
    '2026-05-20T21:00:00+09:00',
    '2026-05-20T07:00:00.5-05:00',
    '2026-05-20t12:00:00z',
    '2024-02-29T00:00:00Z',
  ])('accepts %s and keeps the text', (ts) => {
    expect(isWireTimestamp(ts)).toBe(true)
    expect(TimestampSchema.parse(ts)).toBe(ts)
  })

  it.each([
    '2026-05-20 12:00:00', // SQLite form: no zone
    '2026-05-20T12:00:00', // no zone
    '2026-05-20T12:00:00.1234567890Z', // 10 digits
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-05-20T24:00:00Z',
    '2026-05-20T12:60:00Z',
    '2026-05-20T12:00:00+24:00',
    '2026-05-20T12:00:00+0900',
    ' 2026-05-20T12:00:00Z',
    '1779278400',
    '',
  ])('rejects %j', (ts) => {
    expect(isWireTimestamp(ts)).toBe(false)
    expect(TimestampSchema.safeParse(ts).success).toBe(false)
  })
})

describe('Staleness', () => {
  it('decodes the three modes and drops extra keys', () => {
    expect(StalenessSchema.parse({ mode: 'cached' })).toStrictEqual({ mode: 'cached' })
    expect(StalenessSchema.parse({ mode: 'unchecked', max_cache_age: '5m' })).toStrictEqual({ mode: 'unchecked' })
    expect(StalenessSchema.parse({ max_cache_age: '5m', mode: 'strict' })).toStrictEqual({ mode: 'strict', max_cache_age: '5m' })
  })

  it('strict requires max_cache_age; unknown modes are rejected', () => {
    expect(StalenessSchema.safeParse({ mode: 'strict' }).success).toBe(false)
    expect(StalenessSchema.safeParse({ mode: 'lenient' }).success).toBe(false)
    expect(StalenessSchema.safeParse({}).success).toBe(false)
    expect(StalenessSchema.safeParse('cached').success).toBe(false)
  })

  it('keeps a malformed max_cache_age (the agent treats it as 0s)', () => {
    expect(StalenessSchema.parse({ mode: 'strict', max_cache_age: 'soon' })).toStrictEqual({ mode: 'strict', max_cache_age: 'soon' })
  })
})

describe('byte-wise order', () => {
  it('puts upper case before lower case, without locale rules', () => {
    expect(sortUniqueBytewise(['wave1', 'Zeta', 'alpha', 'Beta', 'wave1', 'dept-eng'])).toStrictEqual([
      'Beta',
      'Zeta',
      'alpha',
      'dept-eng',
      'wave1',
    ])
  })

  it('orders by code point (UTF-8 bytes), not UTF-16 units', () => {
    const astral = '\u{1F600}' // UTF-16 D83D DE00 sorts before U+FF5E in JS; bytes F0… sort after EF…
    const bmp = '\uFF5E'
    expect([astral, bmp].sort()).toStrictEqual([astral, bmp])
    expect(sortUniqueBytewise([astral, bmp])).toStrictEqual([bmp, astral])
    expect(compareBytewise('a', 'ab')).toBe(-1)
    expect(compareBytewise('ab', 'a')).toBe(1)
    expect(compareBytewise('端末', '端末')).toBe(0)
  })
})
