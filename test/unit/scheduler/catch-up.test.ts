import { describe, it, expect } from 'vitest'
import { decideCatchUp, MAX_MISSED_COUNT, type CatchUpInput } from '../../../src/main/core/scheduler/catch-up'

const at = (text: string) => Date.parse(text)
const MIN = 60_000
const HOURLY = '0 0 * * * *'

function decide(over: Partial<CatchUpInput> & Pick<CatchUpInput, 'lastFireMs' | 'nowMs'>) {
  return decideCatchUp({ cron: HOURLY, ...over })
}

describe('decideCatchUp', () => {
  it('a schedule that never fired has nothing to catch up', () => {
    expect(decide({ lastFireMs: null, nowMs: at('2026-05-20T12:30:00Z') })).toEqual({ action: 'none' })
  })

  it('no tick since the last fire → none', () => {
    expect(decide({ lastFireMs: at('2026-05-20T12:00:00Z'), nowMs: at('2026-05-20T12:59:59.999Z') })).toEqual({
      action: 'none',
    })
  })

  it('stopped across two ticks → fire_once for the latest, counting both', () => {
    const d = decide({ lastFireMs: at('2026-05-20T10:00:00Z'), nowMs: at('2026-05-20T12:30:00Z') })
    expect(d).toEqual({
      action: 'fire_once',
      missedTickMs: at('2026-05-20T12:00:00Z'),
      missedCount: 2,
      missedCountCapped: false,
    })
  })

  it('fires once only: after that fire is persisted, a second restart finds nothing', () => {
    const first = decide({ lastFireMs: at('2026-05-20T10:00:00Z'), nowMs: at('2026-05-20T12:30:00Z') })
    expect(first.action).toBe('fire_once')
    if (first.action !== 'fire_once') return
    const again = decide({ lastFireMs: first.missedTickMs, nowMs: at('2026-05-20T12:31:00Z') })
    expect(again).toEqual({ action: 'none' })
  })

  it('misfire policy skip → no fire, with a reason', () => {
    const d = decide({
      lastFireMs: at('2026-05-20T10:00:00Z'),
      nowMs: at('2026-05-20T12:30:00Z'),
      misfirePolicy: 'skip',
    })
    expect(d).toMatchObject({ action: 'skip', missedTickMs: at('2026-05-20T12:00:00Z'), missedCount: 2 })
    if (d.action === 'skip') expect(d.reason).toMatch(/policy is skip/)
  })

  it('the default policy is fire_once and the default grace is 1 h (inclusive)', () => {
    const lastFireMs = at('2026-05-19T12:00:00Z')
    const daily = '0 0 12 * * *'
    expect(decideCatchUp({ cron: daily, lastFireMs, nowMs: at('2026-05-20T13:00:00Z') }).action).toBe('fire_once')
    const late = decideCatchUp({ cron: daily, lastFireMs, nowMs: at('2026-05-20T13:00:00.001Z') })
    expect(late.action).toBe('skip')
    if (late.action === 'skip') expect(late.reason).toMatch(/grace period of 1h/)
  })

  it('grace exceeded → skip with a reason naming the age and the grace', () => {
    const d = decide({
      lastFireMs: at('2026-05-20T10:00:00Z'),
      nowMs: at('2026-05-20T12:30:00Z'),
      graceMs: 20 * MIN,
    })
    expect(d).toMatchObject({ action: 'skip', missedTickMs: at('2026-05-20T12:00:00Z'), missedCount: 2 })
    if (d.action === 'skip') {
      expect(d.reason).toContain('2026-05-20T12:00:00.000Z')
      expect(d.reason).toMatch(/30m old, beyond the grace period of 20m/)
    }
  })

  it('grace boundary is inclusive', () => {
    const d = decide({ lastFireMs: at('2026-05-20T10:00:00Z'), nowMs: at('2026-05-20T12:20:00Z'), graceMs: 20 * MIN })
    expect(d.action).toBe('fire_once')
  })

  it('restart exactly at the fired tick never fires it again', () => {
    const tick = at('2026-05-20T12:00:00Z')
    expect(decide({ lastFireMs: tick, nowMs: tick })).toEqual({ action: 'none' })
    expect(decide({ lastFireMs: tick, nowMs: tick + 1 })).toEqual({ action: 'none' })
    // A last fire recorded a little after its tick (the fire's own clock) also covers it.
    expect(decide({ lastFireMs: tick + 250, nowMs: tick + 5_000 })).toEqual({ action: 'none' })
  })

  it('restart exactly at a new tick: that tick is missed (age 0) and fires once', () => {
    const d = decide({ lastFireMs: at('2026-05-20T11:00:00Z'), nowMs: at('2026-05-20T12:00:00Z') })
    expect(d).toEqual({
      action: 'fire_once',
      missedTickMs: at('2026-05-20T12:00:00Z'),
      missedCount: 1,
      missedCountCapped: false,
    })
  })

  it('starting_deadline bounds the age of a tick that may still fire (inclusive)', () => {
    const base = { lastFireMs: at('2026-05-20T11:00:00Z'), nowMs: at('2026-05-20T12:10:00Z') }
    const over = decide({ ...base, startingDeadlineMs: 5 * MIN })
    expect(over).toMatchObject({ action: 'skip', missedTickMs: at('2026-05-20T12:00:00Z'), missedCount: 1 })
    if (over.action === 'skip') expect(over.reason).toMatch(/10m old, beyond the starting deadline of 5m/)
    expect(decide({ ...base, startingDeadlineMs: 10 * MIN }).action).toBe('fire_once')
    expect(decide({ ...base, startingDeadlineMs: null }).action).toBe('fire_once')
  })

  it('the grace still applies when the starting deadline is longer', () => {
    const d = decide({
      lastFireMs: at('2026-05-20T09:00:00Z'),
      nowMs: at('2026-05-20T11:59:00Z'),
      startingDeadlineMs: 24 * 60 * MIN,
      graceMs: 30 * MIN,
    })
    expect(d).toMatchObject({ action: 'skip', missedTickMs: at('2026-05-20T11:00:00Z'), missedCount: 2 })
  })

  it('counts at most MAX_MISSED_COUNT ticks and says "≥"', () => {
    const d = decideCatchUp({
      cron: '* * * * * *',
      lastFireMs: at('2026-05-20T10:00:00Z'),
      nowMs: at('2026-05-20T12:00:00Z'),
      misfirePolicy: 'skip',
    })
    expect(d).toMatchObject({
      action: 'skip',
      missedTickMs: at('2026-05-20T12:00:00Z'),
      missedCount: MAX_MISSED_COUNT,
      missedCountCapped: true,
    })
    if (d.action === 'skip') expect(d.reason).toMatch(/^≥1000 missed tick/)
  })

  it('a last fire in the future (clock went back) fires nothing', () => {
    expect(decide({ lastFireMs: at('2026-05-21T00:00:00Z'), nowMs: at('2026-05-20T12:30:00Z') })).toEqual({
      action: 'none',
    })
  })

  it('the year field bounds the missed ticks', () => {
    const d = decideCatchUp({
      cron: '0 0 12 * * * 2025',
      lastFireMs: at('2025-12-30T12:00:00Z'),
      nowMs: at('2026-01-01T12:30:00Z'),
      misfirePolicy: 'skip',
    })
    expect(d).toMatchObject({ action: 'skip', missedTickMs: at('2025-12-31T12:00:00Z'), missedCount: 1 })
  })

  it('fall-back in Europe/Berlin: a restart in the repeated hour does not fire 02:30 twice', () => {
    const cron = '0 30 2 * * *'
    const tz = 'Europe/Berlin'
    // Fired at 02:30 CEST (00:30Z); restarted at 02:45 CET (01:45Z).
    expect(
      decideCatchUp({ cron, tz, lastFireMs: at('2026-10-25T00:30:00Z'), nowMs: at('2026-10-25T01:45:00Z') }),
    ).toEqual({ action: 'none' })
    // Down since the day before: the one missed tick is 00:30Z, not 01:30Z.
    expect(
      decideCatchUp({
        cron,
        tz,
        lastFireMs: at('2026-10-24T00:30:00Z'),
        nowMs: at('2026-10-25T01:45:00Z'),
        graceMs: 2 * 60 * MIN,
      }),
    ).toEqual({ action: 'fire_once', missedTickMs: at('2026-10-25T00:30:00Z'), missedCount: 1, missedCountCapped: false })
  })

  it('spring-forward in Europe/Berlin: the shifted 03:30 CEST tick counts as missed', () => {
    const d = decideCatchUp({
      cron: '0 30 2 * * *',
      tz: 'Europe/Berlin',
      lastFireMs: at('2026-03-28T01:30:00Z'),
      nowMs: at('2026-03-29T02:00:00Z'),
    })
    expect(d).toEqual({ action: 'fire_once', missedTickMs: at('2026-03-29T01:30:00Z'), missedCount: 1, missedCountCapped: false })
  })

  it('throws on an invalid cron (schedules are validated when written)', () => {
    expect(() => decideCatchUp({ cron: '0 * * * *', lastFireMs: 0, nowMs: 1 })).toThrow(/6 fields/)
  })
})
