import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { StringCodec } from 'nats'
import { dispatchExec } from '../../../src/main/core/control/exec'
import { startControl, type ControlSubsystem } from '../../../src/main/core/control/subsystem'
import { FakeAgent } from '../../helpers/fake-agent'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { wireVectors } from '../../unit/wire/fixtures'
import { startHarness, type Harness } from './harness'

// Wave rollouts: delayed waves publish in order with their delays, from SQLite, so they also
// go out after the control subsystem was stopped and started again (Q10).

const sc = StringCodec()
type ExecResp = { exec_id: string; target_count: number; subjects: string[] }

let nats: TestNats
let h: Harness
let control: ControlSubsystem | null = null
const agents: Record<string, FakeAgent> = {}

async function startCtl() {
  control = await startControl(h.core)
  h.core.subsystems.set('control', control)
}
async function stopCtl() {
  await control?.stop()
  h.core.subsystems.delete('control')
  control = null
}

const arrivals = (execId: string) =>
  Object.values(agents)
    .flatMap((a) => a.deliveries.filter((d) => d.command.exec_id === execId).map((d) => ({ pc: a.pcId, ...d })))
    .sort((x, y) => x.receivedAt - y.receivedAt)

const waveRows = (execId: string) =>
  h.core.db.prepare('SELECT wave_index, status, subject FROM pending_wave_publishes WHERE exec_id = ? ORDER BY wave_index').all(execId)

async function until(pred: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
  await h.call('upsertJob', { body: wireVectors().find((v) => v.name === 'manifest/cleanup')!.payload })
  const groups = await h.nc.jetstream().views.kv('agent_groups', { bindOnly: true })
  for (const [pc, g] of [
    ['w-canary', 'canary'],
    ['w-one', 'wave1'],
    ['w-two', 'wave2'],
  ]) {
    agents[pc] = await FakeAgent.start({ url: nats.url, pcId: pc, groups: [g] })
    await groups.put(pc, sc.encode(JSON.stringify({ groups: [g] })))
  }
})
afterAll(async () => {
  await stopCtl()
  for (const a of Object.values(agents)) await a.stop()
  await h?.close()
  await nats?.stop()
})
beforeEach(async () => {
  await stopCtl()
  await startCtl()
})

const plan = (d1: string, d2: string) => ({
  target: { groups: ['canary', 'wave1', 'wave2'] },
  rollout: {
    strategy: 'wave',
    waves: [
      { group: 'canary', delay: '0s' },
      { group: 'wave1', delay: d1 },
      { group: 'wave2', delay: d2 },
    ],
  },
})

describe('wave rollouts', () => {
  it('publishes wave 0 at once and the others after their delays, in order, one request_id', async () => {
    const t0 = Date.now()
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'cleanup' }, body: plan('1s', '2s') })
    expect(r.subjects).toEqual(['commands.group.canary', 'commands.group.wave1', 'commands.group.wave2'])
    expect(r.target_count).toBe(3)
    await until(() => arrivals(r.exec_id).length === 3, 6000, 'three waves')
    const got = arrivals(r.exec_id)
    expect(got.map((d) => d.subject)).toEqual(r.subjects)
    expect(got[1].receivedAt - t0).toBeGreaterThanOrEqual(1000)
    expect(got[2].receivedAt - t0).toBeGreaterThanOrEqual(2000)
    expect(got[0].receivedAt).toBeLessThan(got[1].receivedAt)
    expect(new Set(got.map((d) => d.command.request_id)).size).toBe(1)
    expect(new Set(got.map((d) => d.raw)).size).toBe(1) // the very same Command bytes
    const row = h.core.db.prepare('SELECT published_json, status FROM executions WHERE exec_id = ?').get(r.exec_id) as {
      published_json: string
    }
    expect(JSON.parse(row.published_json)).toEqual(r.subjects)
    expect(waveRows(r.exec_id)).toEqual([
      { wave_index: 1, status: 'published', subject: 'commands.group.wave1' },
      { wave_index: 2, status: 'published', subject: 'commands.group.wave2' },
    ])
  })

  it('a scheduler fire of the fixture schedule produces the fixture wave Commands byte for byte', async () => {
    const vec = (n: string) => wireVectors().find((v) => v.name === n)!
    const schedule = { ...(vec('schedule/wave-rollout').payload as Record<string, unknown>) }
    const rollout = schedule.rollout as { waves: { group: string; delay: string }[] }
    schedule.rollout = { ...rollout, waves: [rollout.waves[0], { ...rollout.waves[1], delay: '400ms' }] } // 5 s in the fixture
    const r = await dispatchExec(h.core, {
      jobId: 'cleanup',
      plan: schedule,
      actor: 'scheduler',
      tickMs: Date.parse('2026-05-20T12:00:00Z'),
      scheduleId: 'hourly-cleanup-canary',
    })
    expect(r.subjects).toEqual(['commands.group.canary', 'commands.group.wave1'])
    expect(r.target_count).toBe(2) // members of canary and wave1
    await until(() => arrivals(r.exec_id).length === 2, 4000, 'both waves')
    const [w1, w2] = arrivals(r.exec_id)
    for (const [d, name] of [
      [w1, 'command/scheduled-wave-1'],
      [w2, 'command/scheduled-wave-2'],
    ] as const) {
      expect(d.subject).toBe(vec(name).subject)
      const expected = { ...(vec(name).payload as Record<string, unknown>), exec_id: r.exec_id, request_id: w1.command.request_id }
      expect(d.raw).toBe(JSON.stringify(expected))
    }
  })

  it('a wave that came due while the subsystem was stopped goes out as soon as it starts again', async () => {
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'cleanup' }, body: plan('600ms', '30m') })
    await until(() => arrivals(r.exec_id).length === 1, 3000, 'wave 0')
    await stopCtl() // "the console stops"
    await new Promise((res) => setTimeout(res, 1200))
    expect(arrivals(r.exec_id)).toHaveLength(1) // nothing published while stopped
    const restartedAt = Date.now()
    await startCtl()
    await until(() => arrivals(r.exec_id).length === 2, 3000, 'the overdue wave')
    const got = arrivals(r.exec_id)
    expect(got[1].subject).toBe('commands.group.wave1')
    expect(got[1].receivedAt).toBeGreaterThanOrEqual(restartedAt)
    expect(waveRows(r.exec_id).map((w) => (w as { status: string }).status)).toEqual(['published', 'pending'])
  })

  it('a wave still in the future at restart fires at its own time, not earlier', async () => {
    const t0 = Date.now()
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'cleanup' }, body: plan('1500ms', '30m') })
    await stopCtl()
    await startCtl()
    await until(() => arrivals(r.exec_id).length === 2, 5000, 'wave 1')
    expect(arrivals(r.exec_id)[1].receivedAt - t0).toBeGreaterThanOrEqual(1500)
  })

  it('killing the execution cancels its pending waves', async () => {
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'cleanup' }, body: plan('700ms', '800ms') })
    await h.call('killExecution', { params: { exec_id: r.exec_id } })
    await new Promise((res) => setTimeout(res, 1200))
    expect(arrivals(r.exec_id).map((d) => d.subject)).toEqual(['commands.group.canary'])
    expect(waveRows(r.exec_id).map((w) => (w as { status: string }).status)).toEqual(['cancelled', 'cancelled'])
  })

  it('an exec left mid-publish by a stopped console is marked failed at start and its waves cancelled', async () => {
    await stopCtl()
    const now = new Date().toISOString()
    h.core.db
      .prepare(
        `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count, status, request_id, subjects_json, published_json)
         VALUES ('crashed', 'cleanup', '1.2.0', 'console', ?, 1, 'pending', 'req-crashed', '[]', NULL)`,
      )
      .run(now)
    h.core.db
      .prepare(
        `INSERT INTO pending_wave_publishes (exec_id, wave_index, subject, command_json, due_at, status, created_at)
         VALUES ('crashed', 1, 'commands.group.wave1', '{}', ?, 'pending', ?)`,
      )
      .run(now, now)
    await startCtl()
    const row = h.core.db.prepare(`SELECT status, publish_error FROM executions WHERE exec_id = 'crashed'`).get() as {
      status: string
      publish_error: string
    }
    expect(row.status).toBe('failed')
    expect(row.publish_error).toMatch(/stopped while this exec was being published/)
    expect(waveRows('crashed')).toEqual([{ wave_index: 1, status: 'cancelled', subject: 'commands.group.wave1' }])
  })
})
