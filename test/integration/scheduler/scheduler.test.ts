import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { StringCodec } from 'nats'
import { createSchedulerDriver, SCHEDULER, type SchedulerDriver, type ScheduleStateView } from '../../../src/main/core/scheduler'
import { getRaw, openKv, putRaw } from '../../../src/main/core/nats/kv'
import { FakeAgent } from '../../helpers/fake-agent'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { apiError, startHarness, type Harness } from '../control/harness'

// The scheduler against a real nats-server: node-schedule fires Commands that a fake 0.30
// agent receives, schedule edits through the API and straight into KV apply live, disabling
// with cascade stops the fires and revokes the job, and the tz / misfire keys survive writes.

const sc = StringCodec()
const JOB = { id: 'sched-job', version: '1.0.0', execute: { shell: 'powershell', script: 'echo tick', timeout: '30s' } }

let nats: TestNats
let h: Harness
let driver: SchedulerDriver | null = null
const agents: FakeAgent[] = []

async function startDriver(timers: boolean): Promise<SchedulerDriver> {
  const d = createSchedulerDriver(h.core, { timers })
  await d.start()
  h.core.subsystems.set(SCHEDULER, d)
  driver = d
  return d
}

async function stopDriver(): Promise<void> {
  await driver?.stop()
  h.core.subsystems.delete(SCHEDULER)
  driver = null
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const states = async () => (await h.call<{ items: ScheduleStateView[] }>('scheduleStates')).items
const stateOf = async (id: string) => (await states()).find((s) => s.schedule_id === id)

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
  await h.call('upsertJob', { body: JOB })
})
afterEach(async () => {
  await stopDriver()
})
afterAll(async () => {
  for (const a of agents) await a.stop()
  await h?.close()
  await nats?.stop()
})

describe('scheduler against a real broker', () => {
  it('a schedule every 2 seconds publishes Commands the agent receives; disabling it (cascade) stops them', async () => {
    const agent = await FakeAgent.start({ url: nats.url, pcId: 'pc-every2' })
    agents.push(agent)
    await h.call('upsertSchedule', {
      body: { id: 'every2', cron: '*/2 * * * * *', job_id: JOB.id, target: { pcs: ['pc-every2'] } },
    })
    const d = await startDriver(true)
    expect(d.isArmed('every2')).toBe(true)

    await agent.waitFor(() => agent.deliveries.length >= 2, 6000, 'two scheduled Commands')
    const [first, second] = agent.deliveries
    expect(first.subject).toBe('commands.pc.pc-every2')
    expect(first.command.id).toBe(JOB.id)
    expect(first.command.exec_id).not.toBe(second.command.exec_id)
    const row = h.core.db.prepare('SELECT initiated_by, schedule_id, target_count FROM executions WHERE exec_id = ?').get(first.command.exec_id)
    expect(row).toEqual({ initiated_by: 'scheduler', schedule_id: 'every2', target_count: 1 })
    await h.settleAudits()
    const execAudit = h.audits.find((a) => a.action === 'exec' && (a.payload as { exec_id?: string }).exec_id === first.command.exec_id)
    expect(execAudit?.actor).toBe('scheduler')

    const s = await stateOf('every2')
    expect(s?.status).toBe('active')
    expect(s?.last_outcome).toBe('fired')
    expect([first.command.exec_id, second.command.exec_id, agent.deliveries.at(-1)!.command.exec_id]).toContain(s?.last_exec_id)

    await h.call('disableSchedule', { params: { id: 'every2' }, query: { cascade: 'true' } })
    await until(() => !d.isArmed('every2'), 2000, 'the watch to disarm the schedule')
    await d.idle()
    const fires = () => (h.core.db.prepare(`SELECT COUNT(*) AS n FROM executions WHERE schedule_id = 'every2'`).get() as { n: number }).n
    const fired = fires()
    // Commands published just before the disable may still be on their way.
    await agent.waitFor(() => agent.deliveries.length >= fired, 3000, 'the last Commands in transit')
    const count = agent.deliveries.length
    expect(count).toBe(fired)
    await new Promise((r) => setTimeout(r, 2300)) // longer than one period
    expect(agent.deliveries.length).toBe(count)
    expect(fires()).toBe(fired)
    expect((await stateOf('every2'))?.status).toBe('disabled')
    const status = await openKv(h.core.nats!.nc, 'script_status')
    expect((await getRaw(status, JOB.id))?.value).toBe('REVOKED')
    await putRaw(status, JOB.id, 'ACTIVE') // the next tests fire the same job
  })

  it('applies edits written straight into KV live: a new schedule, an invalid cron, a delete', async () => {
    const d = await startDriver(false)
    const kv = await openKv(h.core.nats!.nc, 'schedules')
    await kv.put('direct', sc.encode(JSON.stringify({ id: 'direct', cron: '0 0 * * * *', job_id: JOB.id, target: { all: true } })))
    await until(() => d.isArmed('direct'), 2000, 'the new schedule to be armed')

    await kv.put('direct', sc.encode(JSON.stringify({ id: 'direct', cron: '0 * * * *', job_id: JOB.id, target: { all: true } })))
    await until(() => !d.isArmed('direct'), 2000, 'the invalid schedule to be disarmed')
    const bad = await stateOf('direct')
    expect(bad?.status).toBe('invalid')
    expect(bad?.invalid_reason).toMatch(/5 fields; kanade cron needs 6 fields/)

    await h.call('deleteSchedule', { params: { id: 'direct' } })
    await until(async () => (await stateOf('direct')) === undefined, 2000, 'the deleted schedule to vanish')
  })

  it('keeps tz / misfire through the API, validates them, and evaluates the cron in that zone', async () => {
    await startDriver(false)
    await h.call('upsertSchedule', {
      body: { id: 'tokyo', cron: '0 0 9 * * *', job_id: JOB.id, target: { all: true }, tz: 'Asia/Tokyo', misfire: 'skip', misfire_grace: '10m' },
    })
    const got = await h.call<Record<string, unknown>>('getSchedule', { params: { id: 'tokyo' } })
    expect(got).toMatchObject({ tz: 'Asia/Tokyo', misfire: 'skip', misfire_grace: '10m', enabled: true })
    await until(() => driver!.spec('tokyo')?.tz === 'Asia/Tokyo', 2000, 'the driver to see the zone')
    const up = await h.call<{ items: { schedule_id: string; fire_at: string }[] }>('upcomingSchedules', { query: { limit: '50' } })
    const tokyo = up.items.filter((f) => f.schedule_id === 'tokyo')
    expect(tokyo.length).toBeGreaterThan(0)
    for (const f of tokyo) expect(f.fire_at).toMatch(/T00:00:00\.000Z$/) // 09:00 JST
    expect(await stateOf('tokyo')).toMatchObject({ tz: 'Asia/Tokyo', misfire: 'skip', status: 'active' })

    // Disable / enable rewrite the stored object: the console keys stay.
    await h.call('disableSchedule', { params: { id: 'tokyo' }, query: {} })
    await h.call('enableSchedule', { params: { id: 'tokyo' } })
    expect(await h.call('getSchedule', { params: { id: 'tokyo' } })).toMatchObject({ tz: 'Asia/Tokyo', misfire: 'skip' })

    const e1 = await apiError(() =>
      h.call('upsertSchedule', { body: { id: 'x', cron: '0 0 9 * * *', job_id: JOB.id, target: { all: true }, tz: 'Asia/Nowhere' } }),
    )
    expect(e1.message).toMatch(/invalid tz: unknown time zone 'Asia\/Nowhere'/)
    const e2 = await apiError(() =>
      h.call('upsertSchedule', { body: { id: 'x', cron: '0 0 9 * * *', job_id: JOB.id, target: { all: true }, misfire_grace: 'later' } }),
    )
    expect(e2.message).toMatch(/invalid misfire_grace/)
    await h.call('deleteSchedule', { params: { id: 'tokyo' } })
  })

  it('once_per_pc over real agent_groups (both shapes) auto-disables through KV, keeping the console keys', async () => {
    const a = await FakeAgent.start({ url: nats.url, pcId: 'pc-g1', groups: ['lab'] })
    const b = await FakeAgent.start({ url: nats.url, pcId: 'pc-g2', groups: ['lab'] })
    agents.push(a, b)
    const groups = await openKv(h.core.nats!.nc, 'agent_groups')
    await groups.put('pc-g1', sc.encode(JSON.stringify({ groups: ['lab'] })))
    await groups.put('pc-g2', sc.encode(JSON.stringify(['lab'])))
    const now = new Date(h.core.now()).toISOString()
    for (const pc of ['pc-g1', 'pc-g2']) {
      h.core.db.prepare('INSERT OR REPLACE INTO agents (pc_id, last_heartbeat, last_seen_at) VALUES (?, ?, ?)').run(pc, now, now)
    }
    h.core.db
      .prepare(`INSERT INTO execution_results (result_id, request_id, pc_id, exit_code, started_at, finished_at, job_id)
                VALUES ('r-g1', 'q-g1', 'pc-g1', 0, ?, ?, ?)`)
      .run(now, now, JOB.id)
    await h.call('upsertSchedule', {
      body: { id: 'once', cron: '0 0 * * * *', job_id: JOB.id, target: { groups: ['lab'] }, mode: 'once_per_pc', auto_disable_when_done: true, tz: 'Europe/Berlin' },
    })
    const d = await startDriver(false)
    const hour = Math.ceil(h.core.now() / 3_600_000) * 3_600_000
    expect(await d.tick('once', hour)).toMatchObject({ outcome: 'fired', pcs: ['pc-g2'] })
    await b.waitFor(() => b.deliveries.length === 1, 3000, 'the Command for pc-g2')
    expect(b.deliveries[0].subject).toBe('commands.pc.pc-g2')
    expect(a.deliveries).toHaveLength(0)

    h.core.db
      .prepare(`INSERT INTO execution_results (result_id, request_id, pc_id, exit_code, started_at, finished_at, job_id)
                VALUES ('r-g2', 'q-g2', 'pc-g2', 0, ?, ?, ?)`)
      .run(now, now, JOB.id)
    expect(await d.tick('once', hour + 3_600_000)).toMatchObject({ outcome: 'skipped', autoDisabled: true })
    const stored = JSON.parse((await getRaw(await openKv(h.core.nats!.nc, 'schedules'), 'once'))!.value)
    expect(stored).toMatchObject({ enabled: false, tz: 'Europe/Berlin', mode: 'once_per_pc' })
    await until(() => !d.isArmed('once'), 2000, 'the auto-disabled schedule to be disarmed')
    await h.settleAudits()
    const done = h.audits.filter((e) => e.action === 'schedule_completed' && e.target === 'once')
    expect(done).toEqual([expect.objectContaining({ actor: 'scheduler', payload: { mode: 'OncePerPc', job_id: JOB.id } })])
    await h.call('deleteSchedule', { params: { id: 'once' } })
  })

  it('a restart across missed ticks fires once (fire_once) and audits the misfire on the bus', async () => {
    const agent = await FakeAgent.start({ url: nats.url, pcId: 'pc-late' })
    agents.push(agent)
    await h.call('upsertSchedule', {
      body: { id: 'late', cron: '0 * * * * *', job_id: JOB.id, target: { pcs: ['pc-late'] } },
    })
    const d1 = await startDriver(false)
    const minute = Math.floor(h.core.now() / 60_000) * 60_000
    expect((await d1.tick('late', minute)).outcome).toBe('fired')
    await stopDriver()
    h.clock.offsetMs += 3 * 60_000 // closed for three minutes
    await startDriver(false)
    await driver!.idle()
    await agent.waitFor(() => agent.deliveries.length === 2, 3000, 'the catch-up Command')
    await h.settleAudits()
    const misfire = h.audits.filter((e) => e.action === 'schedule_misfire' && e.target === 'late')
    expect(misfire).toHaveLength(1)
    expect(misfire[0]).toMatchObject({ actor: 'scheduler', payload: { decision: 'fire_once', missed_count: 3, job_id: JOB.id } })
    h.clock.offsetMs = 0
    await h.call('deleteSchedule', { params: { id: 'late' } })
  })
})
