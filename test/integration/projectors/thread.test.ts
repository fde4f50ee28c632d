// The projectors subsystem as the console runs it: in the projection thread (built
// out/main/projection-thread.js) with its own NATS and database connections. Push events
// reach the console's bus, status and pragmas cross over, a killed thread is started again
// and projection goes on exactly, and a stop leaves nothing unacked.
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../../src/main/core/console'
import { silentLogger } from '../../../src/main/core/log'
import { projectorsSubsystem, type ProjectorsHandle } from '../../../src/main/core/projectors'
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
const count = (app: RunningConsole, sql: string) => (app.core.db.prepare(sql).get() as { n: number }).n

describe('projection thread', () => {
  it('projects in its own thread: events on the bus, status, pragma, restart after a crash, clean stop', async () => {
    const config = loadConfig({ 'nats-url': nats.url, 'data-dir': dir.dir }, {})
    app = await startConsole(config, { http: false, subsystems: [projectorsSubsystem], log: silentLogger })
    const core = app.core
    const handle = core.subsystems.get('projectors') as ProjectorsHandle
    expect(handle.where).toBe('thread')
    // The thread's checkpoint worker does the checkpoints; the console's commits never do.
    expect(core.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    const events: PushEvent[] = []
    core.bus.subscribe((e) => events.push(e))
    const of = <K extends PushEvent['type']>(type: K) => events.filter((e) => e.type === type) as PushEvent<K>[]

    // Status is there from the start, with the consumers the thread created.
    expect(handle.status().map((s) => [s.name, s.consumer])).toEqual([
      ['results', `${core.installId}_results_projector`],
      ['audit', `${core.installId}_audit_projector`],
      ['events', `${core.installId}_events_projector`],
      ['inventory', `${core.installId}_inventory_projector`],
      ['heartbeats', null],
    ])

    const nc = core.nats!.nc
    core.db.prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count) VALUES ('tx', 'echo', '1.0.0', 'operator', 2)`).run()
    await publish(nc, 'results.r1', resultPayload({ result_id: 't1', exec_id: 'tx', pc_id: 'pc1' }))
    await publish(nc, 'audit.operator.exec.echo', { actor: 'operator', action: 'exec', target: 'echo', payload: {}, occurred_at: '2026-05-20T12:00:00Z' })
    await publish(nc, 'results.bad', 'not json')
    nc.publish('heartbeat.pc1', enc.encode(JSON.stringify({ pc_id: 'pc1', at: '2026-05-20T12:00:00Z', agent_version: '0.30.0', hostname: 'PC1', os_family: 'windows' })))
    await nc.flush()

    await waitFor(
      () => of('execution.progress').length > 0 && of('audit.added').length > 0 && of('dead_letter.added').length > 0 && of('agents.changed').length > 0,
      'the change feed from the thread',
    )
    expect(of('execution.progress').at(-1)!.data).toMatchObject({ exec_id: 'tx', status: 'running', success_count: 1 })
    expect(of('results.changed').flatMap((e) => e.data.result_ids)).toContain('t1')
    await waitFor(() => handle.status().find((s) => s.name === 'results')!.dead_letters === 1, 'the status from the thread')
    expect(handle.counts()).toMatchObject({ messages: expect.any(Number), heartbeats: 1 })
    expect(Number(await handle.pragma('page_count'))).toBeGreaterThan(0)

    // A crashed thread is started again; what it had not acked comes back, counted once.
    const first = (handle as unknown as { worker: Worker }).worker
    await first.terminate()
    await waitFor(() => (handle as unknown as { worker: Worker | null }).worker !== null && (handle as unknown as { worker: Worker }).worker !== first, 'a new projection thread', 15_000)
    await publish(nc, 'results.r2', resultPayload({ result_id: 't2', exec_id: 'tx', pc_id: 'pc2', exit_code: 1 }))
    await waitFor(() => count(app!, "SELECT count(*) AS n FROM execution_results WHERE result_id = 't2'") === 1, 'the result after the restart')
    expect(core.db.prepare("SELECT status, success_count, failure_count FROM executions WHERE exec_id = 'tx'").get()).toEqual({
      status: 'completed', success_count: 1, failure_count: 1,
    })
    await waitFor(() => handle.status().every((s) => s.state === 'running'), 'all running again')
    expect(core.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)

    const consumers = handle.status().filter((s) => s.stream).map((s) => [s.stream!, s.consumer!] as const)
    await app.stop()
    app = null
    const check = await nats.client()
    const jsm = await check.jetstreamManager()
    for (const [stream, consumer] of consumers) {
      expect((await jsm.consumers.info(stream, consumer)).num_ack_pending, consumer).toBe(0)
    }
  })
})
