import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readState } from '../../../src/main/core/scheduler/state'
import { at, harness, manifest, type Harness } from './driver-support'

// Registration, live edits, invalid schedules and the per-tick pipeline (§6.2) with an
// injected clock: ticks are delivered with driver.tick() instead of node-schedule timers.

const T0 = at('2026-05-20T12:00:00Z')
const MIN = 60_000

function sched(id: string, extra: Record<string, unknown> = {}) {
  return { id, cron: '0 * * * * *', job_id: 'job-a', target: { all: true }, ...extra }
}

let h: Harness
beforeEach(() => {
  h = harness(T0)
  h.manifests.set('job-a', manifest('job-a'))
})
afterEach(async () => {
  await h.driver.stop()
  h.cleanup()
})

describe('registration', () => {
  it('arms enabled backend schedules only; agent and disabled ones are stored, listed, not fired', async () => {
    h.schedules.put('a', sched('a'))
    h.schedules.put('agent', sched('agent', { runs_on: 'agent' }))
    h.schedules.put('off', sched('off', { enabled: false }))
    await h.driver.start()
    expect(h.driver.isArmed('a')).toBe(true)
    expect(h.driver.isArmed('agent')).toBe(false)
    expect(h.driver.isArmed('off')).toBe(false)
    const states = Object.fromEntries(h.driver.states().map((s) => [s.schedule_id, s]))
    expect(states.a.status).toBe('active')
    expect(states.a.next_fire_at).toBe('2026-05-20T12:01:00.000Z')
    expect(states.agent.status).toBe('agent')
    expect(states.off.status).toBe('disabled')
    expect(states.off.next_fire_at).toBeNull()

    expect(await h.driver.tick('agent', T0 + MIN)).toEqual({ outcome: 'inactive' })
    expect(await h.driver.tick('off', T0 + MIN)).toEqual({ outcome: 'inactive' })
    expect((await h.driver.tick('a', T0 + MIN)).outcome).toBe('fired')
    expect(h.dispatched.map((d) => d.scheduleId)).toEqual(['a'])
  })

  it('reports an invalid cron with its reason, persisted and listed, and never fires it', async () => {
    h.schedules.put('five', sched('five', { cron: '*/5 * * * *' }))
    h.schedules.put('zone', sched('zone', { tz: 'Mars/Olympus' }))
    h.schedules.put('grace', sched('grace', { misfire_grace: 'soon' }))
    h.schedules.put('policy', sched('policy', { misfire: 'always' }))
    h.schedules.put('deadline', sched('deadline', { starting_deadline: '5 parsecs' }))
    h.schedules.put('notjson', '{oops')
    await h.driver.start()
    const states = Object.fromEntries(h.driver.states().map((s) => [s.schedule_id, s]))
    expect(states.five.status).toBe('invalid')
    expect(states.five.invalid_reason).toMatch(/5 fields.*6 fields/)
    expect(states.zone.invalid_reason).toMatch(/time zone 'Mars\/Olympus'/)
    expect(states.grace.invalid_reason).toMatch(/invalid misfire_grace/)
    expect(states.policy.invalid_reason).toMatch(/invalid misfire "always"/)
    expect(states.deadline.invalid_reason).toMatch(/invalid starting_deadline/)
    expect(states.notjson.invalid_reason).toMatch(/not JSON/)
    expect(readState(h.db, 'five')?.invalid_reason).toMatch(/5 fields/)
    for (const id of ['five', 'zone', 'grace', 'policy', 'deadline', 'notjson']) {
      expect(h.driver.isArmed(id)).toBe(false)
      expect(await h.driver.tick(id, T0 + MIN)).toEqual({ outcome: 'inactive' })
    }
    expect(h.dispatched).toHaveLength(0)

    // Fixing it live clears the reason and arms it.
    h.schedules.put('five', sched('five'))
    expect(h.driver.isArmed('five')).toBe(true)
    expect(readState(h.db, 'five')?.invalid_reason).toBeNull()
  })

  it('treats a schedule whose id differs from its key as invalid', async () => {
    h.schedules.put('x', sched('y'))
    await h.driver.start()
    expect(h.driver.states()[0].invalid_reason).toBe("schedule id 'y' does not match its KV key 'x'")
  })
})

describe('live KV edits take effect without restart', () => {
  it('applies puts and deletes: new schedule, cron change, disable, re-enable, delete', async () => {
    await h.driver.start()
    expect(h.driver.states()).toEqual([])

    h.schedules.put('a', sched('a'))
    expect(h.driver.isArmed('a')).toBe(true)
    expect((await h.driver.tick('a', T0 + MIN)).outcome).toBe('fired')

    // Every 5 minutes now: a minute tick is no longer one of its ticks.
    h.schedules.put('a', sched('a', { cron: '0 */5 * * * *' }))
    expect(await h.driver.tick('a', T0 + 2 * MIN)).toEqual({ outcome: 'not_a_tick' })
    expect((await h.driver.tick('a', T0 + 5 * MIN)).outcome).toBe('fired')

    h.schedules.put('a', sched('a', { cron: '0 */5 * * * *', enabled: false }))
    expect(await h.driver.tick('a', T0 + 10 * MIN)).toEqual({ outcome: 'inactive' })
    expect(h.driver.states()[0].status).toBe('disabled')

    h.schedules.put('a', sched('a', { cron: '0 */5 * * * *' }))
    expect((await h.driver.tick('a', T0 + 15 * MIN)).outcome).toBe('fired')

    h.schedules.delete('a')
    expect(await h.driver.tick('a', T0 + 20 * MIN)).toEqual({ outcome: 'inactive' })
    expect(h.driver.states()).toEqual([])
    expect(readState(h.db, 'a')).toBeNull()
    expect(h.dispatched.map((d) => d.tickMs)).toEqual([T0 + MIN, T0 + 5 * MIN, T0 + 15 * MIN])
  })

  it('uses the new target from the next tick on', async () => {
    h.schedules.put('a', sched('a', { target: { pcs: ['pc-1'] } }))
    await h.driver.start()
    await h.driver.tick('a', T0 + MIN)
    h.schedules.put('a', sched('a', { target: { groups: ['lab'] }, jitter: '30s' }))
    await h.driver.tick('a', T0 + 2 * MIN)
    expect(h.dispatched.map((d) => d.plan)).toEqual([
      { target: { groups: [], pcs: ['pc-1'], all: false } },
      { target: { groups: ['lab'], pcs: [], all: false }, jitter: '30s' },
    ])
  })
})

describe('ticks', () => {
  it('dispatches every_tick unchanged with the tick, schedule id and starting deadline, once per tick', async () => {
    const rollout = { strategy: 'wave', waves: [{ group: 'canary', delay: '0s' }, { group: 'rest', delay: '10m' }] }
    h.schedules.put('a', sched('a', { rollout, starting_deadline: '10m' }))
    await h.driver.start()
    const r = await h.driver.tick('a', T0 + MIN)
    expect(r).toMatchObject({ outcome: 'fired', execId: 'exec-1' })
    expect(await h.driver.tick('a', T0 + MIN)).toEqual({ outcome: 'duplicate' })
    expect(await h.driver.tick('a', T0)).toEqual({ outcome: 'duplicate' }) // older than the last handled tick
    expect(h.dispatched).toEqual([
      {
        jobId: 'job-a',
        scheduleId: 'a',
        tickMs: T0 + MIN,
        startingDeadline: '10m',
        plan: { target: { groups: [], pcs: [], all: true }, rollout },
      },
    ])
    const s = h.driver.states()[0]
    expect(s).toMatchObject({
      last_tick_at: '2026-05-20T12:01:00.000Z',
      last_fire_at: '2026-05-20T12:01:00.000Z',
      last_exec_id: 'exec-1',
      last_outcome: 'fired',
      last_message: null,
    })
  })

  it('ticks concurrently delivered for one instant dispatch once', async () => {
    h.schedules.put('a', sched('a'))
    await h.driver.start()
    const rs = await Promise.all([h.driver.tick('a', T0 + MIN), h.driver.tick('a', T0 + MIN), h.driver.tick('a', T0 + MIN)])
    expect(rs.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'fired'])
    expect(h.dispatched).toHaveLength(1)
  })

  it('records a missing job and a failed dispatch without firing, and keeps the last fire', async () => {
    h.schedules.put('a', sched('a'))
    h.schedules.put('b', sched('b', { job_id: 'gone' }))
    await h.driver.start()
    await h.driver.tick('a', T0 + MIN)
    h.failDispatch = 'not connected to NATS'
    expect(await h.driver.tick('a', T0 + 2 * MIN)).toMatchObject({ outcome: 'failed', message: 'not connected to NATS' })
    expect(await h.driver.tick('b', T0 + MIN)).toMatchObject({ outcome: 'job_missing' })
    const states = Object.fromEntries(h.driver.states().map((s) => [s.schedule_id, s]))
    expect(states.a).toMatchObject({
      last_outcome: 'failed',
      last_message: 'not connected to NATS',
      last_tick_at: '2026-05-20T12:02:00.000Z',
      last_fire_at: '2026-05-20T12:01:00.000Z',
      last_exec_id: 'exec-1',
    })
    expect(states.b.last_outcome).toBe('job_missing')
    expect(states.b.last_message).toMatch(/job 'gone' is not in KV jobs/)
    expect(h.dispatched).toHaveLength(1)
  })

  it('lists upcoming fires across schedules, soonest first, in their own time zones', async () => {
    h.schedules.put('minutely', sched('minutely'))
    h.schedules.put('tokyo', sched('tokyo', { cron: '0 5 21 * * *', tz: 'Asia/Tokyo' })) // 12:05Z
    h.schedules.put('off', sched('off', { enabled: false }))
    await h.driver.start()
    expect(h.driver.upcoming(4)).toEqual([
      { schedule_id: 'minutely', job_id: 'job-a', fire_at: '2026-05-20T12:01:00.000Z' },
      { schedule_id: 'minutely', job_id: 'job-a', fire_at: '2026-05-20T12:02:00.000Z' },
      { schedule_id: 'minutely', job_id: 'job-a', fire_at: '2026-05-20T12:03:00.000Z' },
      { schedule_id: 'minutely', job_id: 'job-a', fire_at: '2026-05-20T12:04:00.000Z' },
    ])
    const six = h.driver.upcoming(6).map((f) => `${f.schedule_id}@${f.fire_at.slice(11, 16)}`)
    expect(six).toEqual(['minutely@12:01', 'minutely@12:02', 'minutely@12:03', 'minutely@12:04', 'minutely@12:05', 'tokyo@12:05'])
  })
})

describe('fire policy end to end with SQLite completions', () => {
  it('once_per_pc fires the PCs without a success, then auto-disables when all succeeded', async () => {
    h.groups.set('pc-a', '{"groups":["lab"]}') // object shape
    h.groups.set('pc-b', '["lab","x"]') // bare-array shape (Q5)
    h.groups.set('pc-c', '{"groups":["lab"]}')
    h.agent('pc-a', T0 - MIN)
    h.agent('pc-b', null, T0 - MIN) // no receive time: falls back to last_heartbeat
    h.agent('pc-c', T0 - 3 * MIN) // offline: not expected
    h.result('pc-a', 'job-a', 0, T0 - 10 * MIN)
    h.result('pc-b', 'job-a', 1, T0 - 10 * MIN) // a failure is no completion
    h.result('pc-b', 'other', 0, T0 - 10 * MIN) // another manifest
    h.schedules.put('a', sched('a', {
      mode: 'once_per_pc',
      auto_disable_when_done: true,
      target: { groups: ['lab'], pcs: ['pc-z'] },
      rollout: { strategy: 'wave', waves: [{ group: 'lab', delay: '0s' }] },
      tz: 'Europe/Berlin',
    }))
    await h.driver.start()
    expect(await h.driver.tick('a', T0 + MIN)).toMatchObject({ outcome: 'fired', pcs: ['pc-b', 'pc-z'] })
    expect(h.dispatched[0].plan).toEqual({ target: { groups: [], pcs: ['pc-b', 'pc-z'], all: false } })

    h.result('pc-b', 'job-a', 0, T0 + MIN + 5000)
    h.result('pc-z', 'job-a', 0, T0 + MIN + 6000)
    h.result('pc-z', 'job-a', 0, null) // in flight: no finish, no completion
    h.clock.ms = T0 + 2 * MIN
    expect(await h.driver.tick('a', T0 + 2 * MIN)).toMatchObject({ outcome: 'skipped', autoDisabled: true })
    expect(h.dispatched).toHaveLength(1)
    expect(h.audits).toEqual([{ action: 'schedule_completed', target: 'a', payload: { mode: 'OncePerPc', job_id: 'job-a' } }])
    // Stored with enabled=false, the console's own keys kept; the watch disarmed it.
    expect(h.schedules.json('a')).toMatchObject({ enabled: false, tz: 'Europe/Berlin', mode: 'once_per_pc' })
    expect(h.driver.isArmed('a')).toBe(false)
    expect(h.driver.states()[0]).toMatchObject({ status: 'disabled', last_outcome: 'skipped' })
  })

  it('once_per_pc without auto-disable skips quietly with a reason', async () => {
    h.agent('pc-a', T0)
    h.result('pc-a', 'job-a', 0, T0 - MIN)
    h.schedules.put('a', sched('a', { mode: 'once_per_pc' }))
    await h.driver.start()
    expect(await h.driver.tick('a', T0 + MIN)).toMatchObject({ outcome: 'skipped', message: 'every expected PC has succeeded' })
    expect(h.schedules.json('a').enabled).toBeUndefined()
    expect(h.audits).toEqual([])
  })

  it('once_per_target re-arms after the cooldown, boundary inclusive', async () => {
    h.agent('pc-a', T0)
    h.agent('pc-b', T0)
    h.result('pc-b', 'job-a', 0, T0 - 30 * MIN)
    h.result('pc-gone', 'job-a', 0, T0) // not expected: cannot mute the target
    h.schedules.put('a', sched('a', { mode: 'once_per_target', cooldown: '1h' }))
    await h.driver.start()
    expect(await h.driver.tick('a', T0 + MIN)).toMatchObject({ outcome: 'skipped' })
    h.clock.ms = T0 + 30 * MIN - 1
    h.agent('pc-a', h.clock.ms)
    h.agent('pc-b', h.clock.ms)
    expect(await h.driver.tick('a', T0 + 29 * MIN)).toMatchObject({ outcome: 'skipped' })
    h.clock.ms = T0 + 30 * MIN // exactly one cooldown after the success
    expect(await h.driver.tick('a', T0 + 30 * MIN)).toMatchObject({ outcome: 'fired' })
    expect(h.dispatched[0].plan.target).toEqual({ groups: [], pcs: [], all: true })
  })

  it('once_per_target with nobody online skips and does not auto-disable', async () => {
    h.agent('pc-a', T0 - 5 * MIN)
    h.schedules.put('a', sched('a', { mode: 'once_per_target', auto_disable_when_done: true }))
    await h.driver.start()
    expect(await h.driver.tick('a', T0 + MIN)).toMatchObject({ outcome: 'skipped', message: 'no expected PC is online or listed' })
    expect(h.driver.isArmed('a')).toBe(true)
  })

  it('a schedule edited while its lifecycle completes is not auto-disabled over the edit', async () => {
    h.agent('pc-a', T0)
    h.result('pc-a', 'job-a', 0, T0 - MIN)
    h.schedules.put('a', sched('a', { mode: 'once_per_target', auto_disable_when_done: true }))
    await h.driver.start()
    // Written by someone else, not yet reported by the watch: the compare-and-set must lose.
    h.schedules.values.get('a')!.revision = ++h.schedules.rev
    const r = await h.driver.tick('a', T0 + MIN)
    expect(r).toMatchObject({ outcome: 'skipped' })
    expect(r).not.toHaveProperty('autoDisabled')
    expect((r as { message: string }).message).toMatch(/changed meanwhile/)
    expect(h.schedules.json('a').enabled).toBeUndefined()
    expect(h.audits).toEqual([])
  })
})
