// The projectors subsystem inside the real composition root (startConsole against an external
// nats-server): consumer names, the change feed on the bus, live KV manifest updates,
// heartbeats, status, and a clean stop that leaves nothing unacked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../../src/main/core/console'
import { silentLogger } from '../../../src/main/core/log'
import { openKv } from '../../../src/main/core/nats/kv'
import { startProjectors, type InProcessProjectors } from '../../../src/main/core/projectors'
import type { SubsystemFactory } from '../../../src/main/core/console'
import type { PushEvent } from '../../../src/shared/events'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { tempDir } from '../../helpers/db'
import { publish, resultPayload, waitFor } from './support'

let nats: TestNats
let dir: { dir: string; cleanup(): void }
let app: RunningConsole | null = null
beforeAll(async () => {
  nats = await startTestNats()
  dir = tempDir()
})
afterAll(async () => {
  await app?.stop()
  await nats?.stop()
  dir?.cleanup()
})

const enc = new TextEncoder()
// On this thread, to look at its parts (the projection thread runs this same code: thread.test.ts).
const inProcess: SubsystemFactory = { name: 'projectors', start: (core) => startProjectors(core) }

describe('projectors subsystem', () => {
  it('projects every stream and heartbeats, emits the change feed, and stops cleanly', async () => {
    const config = loadConfig({ 'nats-url': nats.url, 'data-dir': dir.dir }, {})
    app = await startConsole(config, { http: false, subsystems: [inProcess], log: silentLogger })
    const core = app.core
    const events: PushEvent[] = []
    core.bus.subscribe((e) => events.push(e))
    const of = <K extends PushEvent['type']>(type: K) => events.filter((e) => e.type === type) as PushEvent<K>[]
    const handle = core.subsystems.get('projectors') as InProcessProjectors

    // Default durable prefix = the per-install id (two consoles never split a stream).
    expect(handle.status().map((s) => [s.name, s.consumer])).toEqual([
      ['results', `${core.installId}_results_projector`],
      ['audit', `${core.installId}_audit_projector`],
      ['events', `${core.installId}_events_projector`],
      ['inventory', `${core.installId}_inventory_projector`],
      ['heartbeats', null],
    ])
    await waitFor(() => handle.status().every((s) => s.state === 'running'), 'all projectors running')

    // A manifest written after start reaches the cache through the KV watch.
    const nc = core.nats!.nc
    const jobs = await openKv(nc, 'jobs')
    const manifest = {
      id: 'inv', version: '3.0.0', description: null,
      execute: { shell: 'powershell', script: 'x', timeout: '30s', run_as: 'system' },
      require_approval: false, inventory: { display: [{ field: 'ram', label: 'RAM' }] }, staleness: { mode: 'cached' },
    }
    await jobs.put('inv', enc.encode(JSON.stringify(manifest)))
    await waitFor(() => handle.manifests.inventoryHint('inv') != null, 'the manifest in the cache')

    core.db.prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count) VALUES ('ex', 'inv', '3.0.0', 'operator', 2)`).run()
    await publish(nc, 'events.started.ex.pc1', {
      result_id: 'rs1', request_id: 'rq', exec_id: 'ex', pc_id: 'pc1', started_at: '2026-05-20T12:00:00Z', manifest_id: 'inv', version: '3.0.0',
    })
    await publish(nc, 'results.rq', resultPayload({ result_id: 'rs1', request_id: 'rq', exec_id: 'ex', pc_id: 'pc1', manifest_id: 'inv', stdout: '{"ram":8}' }))
    await publish(nc, 'audit.operator.exec.inv', { actor: 'operator', action: 'exec', target: 'inv', payload: { exec_id: 'ex' }, occurred_at: '2026-05-20T12:00:00Z' })
    await publish(nc, 'results.broken', 'not json')
    const hb = { pc_id: 'pc1', at: '2026-05-20T12:00:00Z', agent_version: '0.30.0', hostname: 'PC1', os_family: 'windows' }
    nc.publish('heartbeat.pc1', enc.encode(JSON.stringify(hb)))
    nc.publish('heartbeat.pc1', enc.encode(JSON.stringify(hb)))
    await nc.flush()

    await waitFor(() => of('execution.progress').length > 0 && of('audit.added').length > 0 && of('dead_letter.added').length > 0, 'the change feed')
    await waitFor(() => handle.heartbeats!.written >= 2, 'heartbeats written', 5000)
    expect(core.db.prepare("SELECT exit_code, version, job_id FROM execution_results WHERE result_id = 'rs1'").get()).toEqual({
      exit_code: 0, version: '3.0.0', job_id: 'inv',
    })
    expect(core.db.prepare('SELECT pc_id, job_id, facts_json FROM inventory_facts').all()).toEqual([{ pc_id: 'pc1', job_id: 'inv', facts_json: '{"ram":8}' }])
    expect(core.db.prepare('SELECT hostname, last_seen_at IS NOT NULL AS seen FROM agents').all()).toEqual([{ hostname: 'PC1', seen: 1 }])
    expect(of('execution.progress').at(-1)!.data).toMatchObject({ exec_id: 'ex', status: 'running', success_count: 1, target_count: 2 })
    expect(of('results.changed').flatMap((e) => e.data.result_ids)).toContain('rs1')
    expect(of('dead_letter.added').map((e) => e.data)).toEqual([
      { projector: 'results', subject: 'results.broken', error: expect.stringMatching(/invalid JSON/) },
    ])
    // Two identical beats of one new agent: one agents.changed, not one per beat.
    expect(of('agents.changed').flatMap((e) => e.data.pc_ids)).toEqual(['pc1'])

    await waitFor(() => of('projector.status').some((e) => e.data.projectors.find((p) => p.name === 'results')?.dead_letters === 1), 'a status event', 5000)
    const results = handle.status().find((s) => s.name === 'results')!
    expect(results).toMatchObject({ stream: 'RESULTS', dead_letters: 1, pending: 0, state: 'running' })
    expect(results.last_seq).toBeGreaterThanOrEqual(2)

    const consumers = handle.runners.map((r) => [r.projector.stream, r.consumer] as const)
    await app.stop()
    app = null
    const check = await nats.client()
    const jsm = await check.jetstreamManager()
    for (const [stream, consumer] of consumers) {
      expect((await jsm.consumers.info(stream, consumer)).num_ack_pending, consumer).toBe(0)
    }
  })
})
