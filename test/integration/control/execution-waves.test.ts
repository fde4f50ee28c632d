import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StringCodec } from 'nats'
import { ExecutionDetail } from '../../../src/shared/api/executions'
import type { PushEvent } from '../../../src/shared/events'
import { dispatchExec } from '../../../src/main/core/control/exec'
import { startControl, type ControlSubsystem } from '../../../src/main/core/control/subsystem'
import { FakeAgent } from '../../helpers/fake-agent'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { wireVectors } from '../../unit/wire/fixtures'
import { startHarness, type Harness } from './harness'

// GET /api/executions/:exec_id shows the exec's waves as they go out: wave 0 sent at exec time,
// a delayed wave pending with its due time and then sent (an execution.progress event tells
// the board), a far wave cancelled by a kill.

const sc = StringCodec()
let nats: TestNats
let h: Harness
let control: ControlSubsystem
const agents: FakeAgent[] = []

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
  await h.call('upsertJob', { body: wireVectors().find((v) => v.name === 'manifest/cleanup')!.payload })
  const groups = await h.nc.jetstream().views.kv('agent_groups', { bindOnly: true })
  for (const [pc, g] of [['x-canary', 'canary'], ['x-one', 'wave1'], ['x-two', 'wave2']]) {
    agents.push(await FakeAgent.start({ url: nats.url, pcId: pc, groups: [g] }))
    await groups.put(pc, sc.encode(JSON.stringify({ groups: [g] })))
  }
  control = await startControl(h.core)
  h.core.subsystems.set('control', control)
})
afterAll(async () => {
  for (const a of agents) await a.stop()
  await h?.close()
  await nats?.stop()
})

async function until(pred: () => boolean | Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const detail = async (execId: string) => ExecutionDetail.parse(await h.call('getExecution', { params: { exec_id: execId } }))

describe('execution waves', () => {
  it('reports each wave with its due time, status and sent time as the rollout goes out', async () => {
    const events: PushEvent[] = []
    h.core.bus.subscribe((e) => events.push(e))
    const t0 = Date.now()
    const r = await h.call<{ exec_id: string }>('execJob', {
      params: { job_id: 'cleanup' },
      body: { rollout: { strategy: 'wave', waves: [{ group: 'canary', delay: '0s' }, { group: 'wave1', delay: '700ms' }, { group: 'wave2', delay: '30m' }] } },
    })
    const first = await detail(r.exec_id)
    expect(first.wave_mode).toBe(true)
    expect(first.publish_error).toBeNull()
    expect(first.schedule_id).toBeNull()
    expect(first.waves.map((w) => [w.index, w.kind, w.group, w.status])).toEqual([
      [0, 'group', 'canary', 'sent'],
      [1, 'group', 'wave1', 'pending'],
      [2, 'group', 'wave2', 'pending'],
    ])
    const initiated = Date.parse(first.execution.initiated_at!)
    expect(first.waves[0]).toMatchObject({ subject: 'commands.group.canary', due_at: first.execution.initiated_at, sent_at: first.execution.initiated_at })
    expect(Date.parse(first.waves[1].due_at!) - initiated).toBe(700)
    expect(Date.parse(first.waves[2].due_at!) - initiated).toBe(30 * 60_000)
    expect(first.waves[1].sent_at).toBeNull()

    const progressed = () => events.filter((e) => e.type === 'execution.progress' && (e.data as { exec_id: string }).exec_id === r.exec_id).length
    const before = progressed()
    await until(async () => (await detail(r.exec_id)).waves[1].status === 'sent', 5000, 'wave 1 to go out')
    const sent = await detail(r.exec_id)
    expect(Date.parse(sent.waves[1].sent_at!)).toBeGreaterThanOrEqual(Math.max(t0, Date.parse(sent.waves[1].due_at!)))
    expect(sent.waves[1]).toMatchObject({ attempts: 1, last_error: null })
    expect(sent.waves[2].status).toBe('pending')
    // The board hears about the wave without a result having arrived.
    await until(() => progressed() > before, 2000, 'an execution.progress event for the sent wave')

    await h.call('killExecution', { params: { exec_id: r.exec_id } })
    const killed = await detail(r.exec_id)
    expect(killed.waves.map((w) => w.status)).toEqual(['sent', 'sent', 'cancelled'])
    expect(killed.waves[2].sent_at).toBeNull()
  })

  it('a plain exec lists its subjects, sent at once; a part-way publish failure marks the rest failed', async () => {
    const r = await h.call<{ exec_id: string }>('execJob', { params: { job_id: 'cleanup' }, body: { target: { groups: ['wave1'], pcs: ['x-two'] } } })
    const d = await detail(r.exec_id)
    expect(d.wave_mode).toBe(false)
    expect(d.waves.map((w) => [w.kind, w.group, w.pc_id, w.status])).toEqual([
      ['group', 'wave1', null, 'sent'],
      ['pc', null, 'x-two', 'sent'],
    ])
    // The state a publish failure after the first subject leaves behind (exec-store's markFailed).
    h.core.db
      .prepare(`UPDATE executions SET status = 'failed', published_json = ?, publish_error = 'connection closed' WHERE exec_id = ?`)
      .run(JSON.stringify(['commands.group.wave1']), r.exec_id)
    const f = await detail(r.exec_id)
    expect(f.publish_error).toBe('connection closed')
    expect(f.waves.map((w) => w.status)).toEqual(['sent', 'failed'])
    expect(f.waves[1]).toMatchObject({ sent_at: null, last_error: 'connection closed' })
  })

  it('names the schedule whose fire created the exec', async () => {
    const r = await dispatchExec(h.core, { jobId: 'cleanup', plan: { target: { groups: ['wave2'] } }, actor: 'scheduler', tickMs: Date.now(), scheduleId: 'nightly-cleanup' })
    expect(await detail(r.exec_id)).toMatchObject({ schedule_id: 'nightly-cleanup', waves: [{ group: 'wave2', status: 'sent' }] })
  })

  it('a kanade 0.30 row without a plan has no waves', async () => {
    h.core.db
      .prepare(
        `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count, status)
         VALUES ('legacy', 'cleanup', '1.0.0', 'operator', '2026-05-20T12:00:00.000Z', 2, 'completed')`,
      )
      .run()
    const d = await detail('legacy')
    expect(d).toMatchObject({ waves: [], wave_mode: false, publish_error: null, schedule_id: null })
  })
})
