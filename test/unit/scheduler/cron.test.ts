import { describe, it, expect } from 'vitest'
import schedule from 'node-schedule'
import {
  isTick,
  nextFires,
  previousFire,
  ticksBetween,
  toNodeScheduleRule,
  validateCron,
} from '../../../src/main/core/scheduler/cron'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const isoList = (list: number[]) => list.map((ms) => new Date(ms).toISOString())
const at = (text: string) => Date.parse(text)
const H = 3_600_000

describe('validateCron', () => {
  it.each([
    ['0 0 12 * * *'],
    ['*/15 * * * * *'],
    ['0 30 9 * * MON-FRI'],
    ['0 0 0 * * THU'],
    ['0 0 0 1,15 * ?'],
    ['0 0 0 L * *'],
    ['0 0 0 * * 1#2'],
    ['  0   0  12 * *   *  '],
  ])('accepts %j', (expr) => {
    expect(validateCron(expr)).toEqual({ ok: true })
  })

  it('rejects a 5-field expression and says kanade needs 6 fields with seconds', () => {
    const r = validateCron('30 2 * * *')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.reason).toMatch(/6 fields/)
      expect(r.reason).toMatch(/seconds/)
      expect(r.reason).toContain("'0 30 2 * * *'")
    }
  })

  it.each([[''], ['   '], ['* * * *'], ['0 0 0 1 1 * 2027 extra']])('rejects the field count of %j', (expr) => {
    const r = validateCron(expr)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(/6/)
  })

  it.each([['0 61 * * * *'], ['0 0 24 * * *'], ['0 0 0 31 2 *'], ['0 0 0 * * 8'], ['nonsense x y z a b']])(
    'rejects the invalid value in %j',
    (expr) => {
      const r = validateCron(expr)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(10)
    },
  )

  it("rejects cron-parser's random H (not kanade syntax, node-schedule refuses it)", () => {
    const r = validateCron('H 0 0 * * *')
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/'H'/) })
    expect(validateCron('0 H/5 * * * *').ok).toBe(false)
  })

  it('accepts a 7th year field', () => {
    expect(validateCron('0 0 0 1 1 * 2027')).toEqual({ ok: true })
    expect(validateCron('0 0 0 1 1 * 2027-2031/2,2040')).toEqual({ ok: true })
    expect(validateCron('0 0 0 1 1 * *')).toEqual({ ok: true })
    expect(validateCron('0 0 0 1 1 * 2030/5')).toEqual({ ok: true })
  })

  it.each([['0 0 0 1 1 * 1800'], ['0 0 0 1 1 * 2031-2027'], ['0 0 0 1 1 * abc'], ['0 0 0 1 1 * 2027/0']])(
    'rejects the bad year field in %j',
    (expr) => {
      const r = validateCron(expr)
      expect(r).toEqual({ ok: false, reason: expect.stringMatching(/year field/) })
    },
  )

  it('accepts IANA zones', () => {
    expect(validateCron('0 30 2 * * *', 'Europe/Berlin')).toEqual({ ok: true })
    expect(validateCron('0 30 2 * * *', 'America/New_York')).toEqual({ ok: true })
    expect(validateCron('0 30 2 * * *', 'UTC')).toEqual({ ok: true })
    expect(validateCron('0 30 2 * * *', null)).toEqual({ ok: true })
  })

  it.each([['Mars/Olympus'], [''], ['+01:00'], ['Europe/Berlinn']])('rejects the time zone %j clearly', (tz) => {
    const r = validateCron('0 30 2 * * *', tz)
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/time zone/) })
  })
})

describe('nextFires', () => {
  it('is strictly after fromMs', () => {
    const tick = at('2026-05-20T12:00:00Z')
    expect(isoList(nextFires('0 0 12 * * *', tick, 2))).toEqual(['2026-05-21T12:00:00.000Z', '2026-05-22T12:00:00.000Z'])
    expect(isoList(nextFires('0 0 12 * * *', tick - 1, 1))).toEqual(['2026-05-20T12:00:00.000Z'])
    expect(isoList(nextFires('* * * * * *', at('2026-05-20T12:00:00.500Z'), 2))).toEqual([
      '2026-05-20T12:00:01.000Z',
      '2026-05-20T12:00:02.000Z',
    ])
  })

  it('evaluates in UTC by default, whatever the process zone', () => {
    expect(isoList(nextFires('0 0 12 * * *', at('2026-01-01T00:00:00Z'), 1))).toEqual(['2026-01-01T12:00:00.000Z'])
  })

  it('evaluates in the given zone', () => {
    expect(isoList(nextFires('0 0 12 * * *', at('2026-01-01T00:00:00Z'), 1, 'Asia/Tokyo'))).toEqual([
      '2026-01-01T03:00:00.000Z', // 12:00 JST
    ])
  })

  it('returns nothing for a non-positive count and throws for an invalid expression', () => {
    expect(nextFires('0 0 12 * * *', 0, 0)).toEqual([])
    expect(() => nextFires('0 12 * * *', 0, 1)).toThrow(/6 fields/)
    expect(() => nextFires('0 0 12 * * *', 0, 1, 'Nowhere/Land')).toThrow(/time zone/)
  })

  it('honours the year field and ends when the years run out', () => {
    const from = at('2026-06-01T00:00:00Z')
    expect(isoList(nextFires('0 0 12 1 1 * 2027,2029', from, 5))).toEqual([
      '2027-01-01T12:00:00.000Z',
      '2029-01-01T12:00:00.000Z',
    ])
    expect(nextFires('0 0 12 1 1 * 2020-2025', from, 5)).toEqual([])
  })

  it('jumps to the next allowed year instead of stepping through every tick', () => {
    const from = at('2026-06-01T00:00:00Z')
    expect(isoList(nextFires('* * * * * * 2030', from, 2))).toEqual([
      '2030-01-01T00:00:00.000Z',
      '2030-01-01T00:00:01.000Z',
    ])
    // Local new year in Berlin is 23:00 UTC the day before.
    expect(isoList(nextFires('0 0 * * * * 2030', from, 2, 'Europe/Berlin'))).toEqual([
      '2029-12-31T23:00:00.000Z',
      '2030-01-01T00:00:00.000Z',
    ])
  })
})

describe('previousFire', () => {
  it('returns the latest tick at or before the instant', () => {
    const tick = at('2026-05-20T12:00:00Z')
    expect(iso(previousFire('0 0 12 * * *', tick))).toBe('2026-05-20T12:00:00.000Z')
    expect(iso(previousFire('0 0 12 * * *', tick + 999))).toBe('2026-05-20T12:00:00.000Z')
    expect(iso(previousFire('0 0 12 * * *', tick - 1))).toBe('2026-05-19T12:00:00.000Z')
  })

  it('honours the year field', () => {
    const now = at('2026-06-01T00:00:00Z')
    expect(previousFire('0 0 12 1 1 * 2030', now)).toBeNull()
    expect(iso(previousFire('0 0 12 * * * 2020,2023', now))).toBe('2023-12-31T12:00:00.000Z')
    expect(iso(previousFire('0 0 0 * * * 2025', now, 'Europe/Berlin'))).toBe('2025-12-30T23:00:00.000Z')
  })

  it('isTick recognises ticks only', () => {
    expect(isTick('0 0 12 * * *', at('2026-05-20T12:00:00Z'))).toBe(true)
    expect(isTick('0 0 12 * * *', at('2026-05-20T12:00:01Z'))).toBe(false)
    expect(isTick('0 0 12 * * * 2027', at('2026-05-20T12:00:00Z'))).toBe(false)
  })
})

describe('DST', () => {
  const daily0230 = '0 30 2 * * *'

  it('Europe/Berlin fall-back (2026-10-25): 02:30 fires once, in the first pass', () => {
    const fires = isoList(nextFires(daily0230, at('2026-10-23T12:00:00Z'), 4, 'Europe/Berlin'))
    expect(fires).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, first pass; not again at 01:30Z (02:30 CET)
      '2026-10-26T01:30:00.000Z', // 02:30 CET
      '2026-10-27T01:30:00.000Z',
    ])
  })

  it('Europe/Berlin fall-back: a query started inside the repeated hour does not fire 02:30 again', () => {
    // cron-parser alone returns 2026-10-25T01:30Z from here: a second 02:30 that day.
    for (const from of ['2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:29:59Z']) {
      expect(iso(nextFires(daily0230, at(from), 1, 'Europe/Berlin')[0])).toBe('2026-10-26T01:30:00.000Z')
    }
    expect(iso(previousFire(daily0230, at('2026-10-25T01:45:00Z'), 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z')
    expect(isTick(daily0230, at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe(false)
  })

  it('Europe/Berlin fall-back: a wildcard-hour cron keeps both real hours', () => {
    const fires = isoList(nextFires('0 30 * * * *', at('2026-10-24T23:45:00Z'), 3, 'Europe/Berlin'))
    expect(fires).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-25T02:30:00.000Z'])
    // The local day 2026-10-25 has 25 hours, so 25 hourly ticks.
    const day = ticksBetween('0 0 * * * *', at('2026-10-24T22:00:00Z') - 1, at('2026-10-25T23:00:00Z') - 1, 100, 'Europe/Berlin')
    expect(day.ticks).toHaveLength(25)
  })

  it('Europe/Berlin spring-forward (2026-03-29): the missing 02:30 fires once, at 03:30 CEST', () => {
    const fires = isoList(nextFires(daily0230, at('2026-03-27T12:00:00Z'), 3, 'Europe/Berlin'))
    expect(fires).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'])
    // Started right after the gap cron-parser alone skips that day's shifted tick.
    expect(iso(nextFires(daily0230, at('2026-03-29T01:00:00Z'), 1, 'Europe/Berlin')[0])).toBe('2026-03-29T01:30:00.000Z')
    // cron-parser's prev() alone skips it too (it returns 2026-03-28).
    expect(iso(previousFire(daily0230, at('2026-03-29T12:00:00Z'), 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z')
  })

  it('America/New_York: spring-forward shifts 02:30 to 03:30 EDT; fall-back 01:30 fires once', () => {
    expect(isoList(nextFires(daily0230, at('2026-03-07T12:00:00Z'), 2, 'America/New_York'))).toEqual([
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
      '2026-03-09T06:30:00.000Z',
    ])
    expect(isoList(nextFires('0 30 1 * * *', at('2026-10-31T12:00:00Z'), 2, 'America/New_York'))).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, first pass
      '2026-11-02T06:30:00.000Z',
    ])
    expect(iso(nextFires('0 30 1 * * *', at('2026-11-01T06:00:00Z'), 1, 'America/New_York')[0])).toBe(
      '2026-11-02T06:30:00.000Z',
    )
  })

  it('nextFires, previousFire and isTick agree around every transition', () => {
    // [expression, zone, the UTC instant of the offset change]
    const cases: [string, string, string][] = [
      [daily0230, 'Europe/Berlin', '2026-03-29T01:00:00Z'],
      [daily0230, 'Europe/Berlin', '2026-10-25T01:00:00Z'],
      ['0 */20 1-3 * * *', 'Europe/Berlin', '2026-10-25T01:00:00Z'],
      ['0 */20 1-3 * * *', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
      ['0 30 1 * * *', 'America/New_York', '2026-11-01T06:00:00Z'],
      [daily0230, 'America/New_York', '2026-03-08T07:00:00Z'],
      ['0 15 * * * *', 'America/New_York', '2026-11-01T06:00:00Z'],
    ]
    for (const [expr, tz, change] of cases) {
      const T = at(change)
      // The reference sequence: one forward walk from days before the change.
      const ticks = nextFires(expr, T - 3 * 24 * H, 300, tz).filter((ms) => ms <= T + 3 * 24 * H)
      expect(new Set(ticks).size).toBe(ticks.length)
      for (const ms of ticks) expect(isTick(expr, ms, tz)).toBe(true)
      // Queries starting anywhere must reproduce it: densely around the change, sparsely
      // for two days after it.
      const samples: number[] = []
      for (let t = T - 3 * H; t <= T + 4 * H; t += 4 * 60_000) samples.push(t)
      for (let t = T + 4 * H; t <= T + 2 * 24 * H; t += 41 * 60_000) samples.push(t)
      for (const t of samples) {
        const expectedPrev = ticks.filter((ms) => ms <= t).at(-1) ?? null
        expect(previousFire(expr, t, tz), `previousFire ${expr} ${tz} at ${iso(t)}`).toBe(expectedPrev)
        expect(nextFires(expr, t, 1, tz)[0], `nextFires ${expr} ${tz} from ${iso(t)}`).toBe(
          ticks.find((ms) => ms > t),
        )
      }
    }
  }, 60_000)
})

describe('toNodeScheduleRule', () => {
  it('gives the 6-field rule and the zone (UTC by default)', () => {
    expect(toNodeScheduleRule('0  30 2 * * *')).toEqual({ rule: '0 30 2 * * *', tz: 'UTC' })
    expect(toNodeScheduleRule('0 30 2 * * *', 'Europe/Berlin')).toEqual({ rule: '0 30 2 * * *', tz: 'Europe/Berlin' })
  })

  it('drops the year field, which node-schedule cannot parse', () => {
    expect(toNodeScheduleRule('0 0 12 1 1 * 2027')).toEqual({ rule: '0 0 12 1 1 *', tz: 'UTC' })
    // node-schedule returns null (no throw) for the raw 7-field rule.
    const raw = schedule.scheduleJob({ rule: '0 0 12 1 1 * 2027', tz: 'UTC' }, () => {})
    expect(raw).toBeNull()
  })

  it('throws on what validateCron rejects', () => {
    expect(() => toNodeScheduleRule('0 12 * * *')).toThrow(/6 fields/)
    expect(() => toNodeScheduleRule('0 0 12 * * *', 'Mars/Olympus')).toThrow(/time zone/)
  })

  it.each([
    ['0 0 12 * * *', undefined],
    ['*/10 * * * * *', undefined],
    ['0 30 2 * * *', 'Europe/Berlin'],
    ['0 0 9 * * MON-FRI', 'America/New_York'],
  ])('node-schedule 2.1.1 accepts %j (%s) and agrees on the next fire', (expr, tz) => {
    const before = Date.now()
    const job = schedule.scheduleJob(toNodeScheduleRule(expr, tz), () => {})
    try {
      expect(job).not.toBeNull()
      const invocation = job?.nextInvocation() ?? null
      expect(invocation).not.toBeNull()
      const next = invocation!.getTime()
      // node-schedule started a moment after `before`: a tick may fall in between.
      expect(nextFires(expr, before, 2, tz)).toContain(next)
    } finally {
      job?.cancel()
    }
  })
})
