import { afterEach, describe, expect, it } from 'vitest'
import { claimTick, readState } from '../../../src/main/core/scheduler/state'
import { at, harness, manifest, type Harness } from './driver-support'

// Persistence across restarts (Q10) and time zones: catch-up under each misfire policy, no
// double fire at the tick boundary, interrupted dispatches, DST transitions in Europe/Berlin.

const MIN = 60_000
const T0 = at('2026-05-20T12:00:00Z')

function sched(id: string, extra: Record<string, unknown> = {}) {
  return { id, cron: '0 * * * * *', job_id: 'job-a', target: { all: true }, ...extra }
}

let h: Harness
function setup(startMs: number, ...schedules: ReturnType<typeof sched>[]): Harness {
  h = harness(startMs)
  h.manifests.set('job-a', manifest('job-a'))
  for (const s of schedules) h.schedules.put(s.id, s)
  return h
}
afterEach(async () => {
  await h.driver.stop()
  h.cleanup()
})

/** Stop the console, move the clock, start it again; waits for catch-up fires. */
async function restartAt(ms: number): Promise<void> {
  await h.driver.stop()
  h.clock.ms = ms
  await h.restart().start()
  await h.driver.idle()
}

const misfires = () => h.audits.filter((a) => a.action === 'schedule_misfire')

describe('catch-up after the console was closed', () => {
  it('fire_once (default): stopped across two ticks, one fire on start for the latest, audited', async () => {
    setup(T0, sched('a'))
    await h.driver.start()
    await h.driver.tick('a', T0 + MIN)
    await restartAt(T0 + 3 * MIN + 20_000) // ticks +2m and +3m missed
    expect(h.dispatched.map((d) => d.tickMs)).toEqual([T0 + MIN, T0 + 3 * MIN])
    expect(misfires()).toEqual([
      {
        action: 'schedule_misfire',
        target: 'a',
        payload: {
          job_id: 'job-a',
          decision: 'fire_once',
          policy: 'fire_once',
          missed_count: 2,
          missed_count_capped: false,
          missed_tick: '2026-05-20T12:03:00.000Z',
          reason: undefined,
        },
      },
    ])
    expect(h.driver.states()[0]).toMatchObject({ last_outcome: 'fired', last_fire_at: '2026-05-20T12:03:00.000Z' })
    expect(h.driver.states()[0].last_message).toMatch(/catch-up: one fire for 2 tick\(s\) missed/)

    // Another restart before the next tick changes nothing.
    await restartAt(T0 + 3 * MIN + 40_000)
    expect(h.dispatched).toHaveLength(2)
    expect(misfires()).toHaveLength(1)
    // The next tick fires normally.
    expect((await h.driver.tick('a', T0 + 4 * MIN)).outcome).toBe('fired')
  })

  it('skip: stopped across two ticks, nothing fires; the decision is audited once and shown', async () => {
    setup(T0, sched('a', { misfire: 'skip' }))
    await h.driver.start()
    await h.driver.tick('a', T0 + MIN)
    await restartAt(T0 + 3 * MIN + 20_000)
    expect(h.dispatched.map((d) => d.tickMs)).toEqual([T0 + MIN])
    expect(misfires()).toHaveLength(1)
    expect(misfires()[0].payload).toMatchObject({ decision: 'skip', policy: 'skip', missed_count: 2 })
    expect(misfires()[0].payload.reason).toMatch(/2 missed tick\(s\).*misfire policy is skip/)
    expect(h.driver.states()[0]).toMatchObject({
      last_outcome: 'misfire_skipped',
      last_tick_at: '2026-05-20T12:03:00.000Z',
      last_fire_at: '2026-05-20T12:01:00.000Z',
    })
    await restartAt(T0 + 3 * MIN + 40_000)
    expect(misfires()).toHaveLength(1)
    expect(h.dispatched).toHaveLength(1)
  })

  it('does not make up for a tick older than the grace period or the starting deadline', async () => {
    setup(T0, sched('grace', { misfire_grace: '2m' }), sched('deadline', { starting_deadline: '30s' }))
    await h.driver.start()
    await h.driver.tick('grace', T0 + MIN)
    await h.driver.tick('deadline', T0 + MIN)
    await restartAt(T0 + 5 * MIN + 50_000) // latest missed tick +5m is 50 s old
    const byTarget = Object.fromEntries(misfires().map((a) => [a.target, a.payload]))
    expect(byTarget.grace).toMatchObject({ decision: 'fire_once', missed_count: 4 })
    expect(byTarget.deadline).toMatchObject({ decision: 'skip' })
    expect(byTarget.deadline.reason).toMatch(/50s old, beyond the starting deadline of 30s/)
    expect(h.dispatched.map((d) => `${d.scheduleId}@${(d.tickMs - T0) / MIN}`)).toEqual(['grace@1', 'deadline@1', 'grace@5'])

    // A shorter grace written while the console is closed applies at the next start.
    await h.driver.stop()
    h.clock.ms = T0 + 25 * MIN + 50_000
    h.schedules.put('grace', sched('grace', { misfire_grace: '30s' }))
    await h.restart().start()
    await h.driver.idle()
    const last = misfires().filter((a) => a.target === 'grace').at(-1)!
    expect(last.payload).toMatchObject({ decision: 'skip', missed_count: 20 })
    expect(last.payload.reason).toMatch(/50s old, beyond the grace period of 30s/)
  })

  it('never makes up for ticks of a schedule the console had not seen, nor ticks while it was disabled', async () => {
    setup(T0, sched('a'))
    await h.driver.start()
    await h.driver.tick('a', T0 + MIN)
    h.clock.ms = T0 + 90_000
    h.schedules.put('a', sched('a', { enabled: false }))
    h.clock.ms = T0 + 5 * MIN + 30_000
    h.schedules.put('a', sched('a')) // re-enabled live: armed again from now
    await h.driver.stop()
    h.schedules.put('new', sched('new')) // created while the console is closed
    h.clock.ms = T0 + 6 * MIN + 10_000
    await h.restart().start()
    await h.driver.idle()
    expect(misfires().map((a) => [a.target, a.payload.missed_count])).toEqual([['a', 1]])
    expect(h.dispatched.map((d) => `${d.scheduleId}@${(d.tickMs - T0) / MIN}`)).toEqual(['a@1', 'a@6'])
  })
})

describe('no double fire across a restart at the tick boundary', () => {
  it('a tick fired just before the stop is neither made up for nor fired again', async () => {
    const T = T0 + MIN
    setup(T0, sched('a'))
    await h.driver.start()
    h.clock.ms = T
    await h.driver.tick('a', T)
    for (const ms of [T, T + 1, T + 999]) {
      await restartAt(ms)
      // node-schedule registered at the boundary may still deliver T.
      expect(await h.driver.tick('a', T)).toEqual({ outcome: 'duplicate' })
    }
    expect(h.dispatched).toHaveLength(1)
    expect(misfires()).toEqual([])
  })

  it('a tick due during the restart fires exactly once, whoever delivers it first', async () => {
    const T = T0 + MIN
    setup(T0, sched('a'))
    await h.driver.start()
    await h.driver.tick('a', T0)
    await restartAt(T + 1) // stopped at T - 1 ms in effect: T was missed
    expect(await h.driver.tick('a', T)).toEqual({ outcome: 'duplicate' })
    expect(h.dispatched.map((d) => d.tickMs)).toEqual([T0, T])
  })

  it('a tick interrupted mid-dispatch is marked interrupted and not repeated', async () => {
    setup(T0, sched('a'))
    await h.driver.start()
    await h.driver.stop()
    // A crash after the claim, before the dispatch finished.
    expect(claimTick(h.db, 'a', T0 + MIN, T0 + MIN)).toBe(true)
    h.clock.ms = T0 + MIN + 500
    await h.restart().start()
    await h.driver.idle()
    expect(await h.driver.tick('a', T0 + MIN)).toEqual({ outcome: 'duplicate' })
    expect(h.dispatched).toHaveLength(0)
    expect(readState(h.db, 'a')).toMatchObject({ last_outcome: 'interrupted', last_tick_at: '2026-05-20T12:01:00.000Z' })
    expect(readState(h.db, 'a')?.last_message).toMatch(/not repeated/)
  })

  it('drops the state of a schedule deleted while the console was closed', async () => {
    setup(T0, sched('a'))
    await h.driver.start()
    await h.driver.tick('a', T0 + MIN)
    await h.driver.stop()
    h.schedules.delete('a')
    await restartAt(T0 + 5 * MIN)
    expect(readState(h.db, 'a')).toBeNull()
  })
})

describe('DST transitions in a non-UTC zone fire once', () => {
  const berlin = { tz: 'Europe/Berlin' }

  it('fall-back: a daily 02:30 fires in the first pass only, even if the second pass is delivered', async () => {
    // 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens at 00:30Z and again at 01:30Z.
    setup(at('2026-10-24T12:00:00Z'), sched('d', { cron: '0 30 2 * * *', ...berlin }))
    await h.driver.start()
    expect(h.driver.upcoming(2).map((f) => f.fire_at)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'])
    h.clock.ms = at('2026-10-25T00:30:00Z')
    expect((await h.driver.tick('d', at('2026-10-25T00:30:00Z'))).outcome).toBe('fired')
    // What node-schedule does when the job is re-registered inside the repeated hour.
    h.clock.ms = at('2026-10-25T01:10:00Z')
    h.schedules.put('d', sched('d', { cron: '0 30 2 * * *', ...berlin, jitter: '1s' }))
    h.clock.ms = at('2026-10-25T01:30:00Z')
    expect(await h.driver.tick('d', at('2026-10-25T01:30:00Z'))).toEqual({ outcome: 'not_a_tick' })
    expect(h.dispatched).toHaveLength(1)
  })

  it('fall-back: an hourly :30 fires in both passes (two different real hours)', async () => {
    setup(at('2026-10-25T00:00:00Z'), sched('h', { cron: '0 30 * * * *', ...berlin }))
    await h.driver.start()
    for (const iso of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']) {
      h.clock.ms = at(iso)
      expect((await h.driver.tick('h', at(iso))).outcome).toBe('fired')
    }
    expect(h.dispatched).toHaveLength(2)
  })

  it('spring-forward: the skipped 02:30 fires once, at 03:30 CEST', async () => {
    // 2026-03-29 02:00 CET → 03:00 CEST (01:00Z).
    setup(at('2026-03-28T12:00:00Z'), sched('d', { cron: '0 30 2 * * *', ...berlin }))
    await h.driver.start()
    expect(h.driver.upcoming(1)[0].fire_at).toBe('2026-03-29T01:30:00.000Z')
    expect(await h.driver.tick('d', at('2026-03-29T00:30:00Z'))).toEqual({ outcome: 'not_a_tick' })
    h.clock.ms = at('2026-03-29T01:30:00Z')
    expect((await h.driver.tick('d', at('2026-03-29T01:30:00Z'))).outcome).toBe('fired')
    expect(await h.driver.tick('d', at('2026-03-29T01:30:00Z'))).toEqual({ outcome: 'duplicate' })
    expect(h.dispatched).toHaveLength(1)
  })

  it('catch-up across the fall-back counts the repeated 02:30 once', async () => {
    setup(at('2026-10-24T00:00:00Z'), sched('d', { cron: '0 30 2 * * *', ...berlin, misfire_grace: '2h' }))
    await h.driver.start()
    h.clock.ms = at('2026-10-24T00:30:00Z')
    await h.driver.tick('d', at('2026-10-24T00:30:00Z')) // 02:30 CEST on the 24th
    await restartAt(at('2026-10-25T01:45:00Z')) // closed across both passes of the 25th
    expect(misfires()[0].payload).toMatchObject({ decision: 'fire_once', missed_count: 1, missed_tick: '2026-10-25T00:30:00.000Z' })
    expect(h.dispatched.map((d) => new Date(d.tickMs).toISOString())).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
    ])
  })
})
