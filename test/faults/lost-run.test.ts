// Fault: an agent sends the start event of a run and never its result (it died, its outbox
// was lost). Long after the job's timeout the reaper marks the run lost (exit -1, a note,
// counted once as a failure); when the real result turns up after all, it wins and the
// counters move so the run is still counted exactly once. Real broker, real projectors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NatsConnection } from 'nats'
import { loadConfig } from '../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../src/main/core/console'
import { silentLogger } from '../../src/main/core/log'
import { bootstrapJetStream } from '../../src/main/core/nats/bootstrap'
import { projectorsSubsystem } from '../../src/main/core/projectors'
import { LOST_NOTE_PREFIX, startReaper, type ReaperHandle } from '../../src/main/core/reaper'
import { encodeEventStarted, encodeExecResult } from '../../src/shared/wire'
import { subjects } from '../../src/shared/nats-names'
import { toWire } from '../../src/shared/time'
import { startTestNats, type TestNats } from '../helpers/nats'
import { tempDir } from '../helpers/db'
import { dbPathIn, seedDb, waitFor } from './support'

let nats: TestNats
let nc: NatsConnection
let data: ReturnType<typeof tempDir>
let app: RunningConsole | null = null
let reaper: ReaperHandle | null = null

beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc, 1)
  data = tempDir('kc-lost-')
})
afterAll(async () => {
  await reaper?.stop()
  await app?.stop()
  await nats?.stop()
  data?.cleanup()
})

const enc = new TextEncoder()
const HOUR = 3_600_000

describe('a run whose result never came', () => {
  it('is reaped as lost, and a late real result still wins, counted once', { timeout: 60_000 }, async () => {
    const dbPath = dbPathIn(data.dir)
    const started = Date.now() - 3 * HOUR
    seedDb(dbPath, (db) =>
      db
        .prepare(
          `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count) VALUES ('x1', 'patch', '1.0.0', 'operator', ?, 2)`,
        )
        .run(new Date(started).toISOString()),
    )
    const config = loadConfig({ 'nats-url': nats.url, 'data-dir': data.dir, db: dbPath }, {})
    app = await startConsole(config, { http: false, subsystems: [projectorsSubsystem], log: silentLogger })
    const db = app.core.db
    const row = (id: string) =>
      db.prepare('SELECT exit_code, stderr, lost, finished_at FROM execution_results WHERE result_id = ?').get(id) as
        | { exit_code: number | null; stderr: string; lost: number; finished_at: string | null }
        | undefined
    const exec = () => db.prepare("SELECT success_count, failure_count, status FROM executions WHERE exec_id = 'x1'").get()

    // Two PCs start the run three hours ago; the job's timeout is 30 minutes.
    for (const pc of ['pc-a', 'pc-b']) {
      const e = { result_id: `r-${pc}`, request_id: 'q1', exec_id: 'x1', pc_id: pc, started_at: toWire(started), manifest_id: 'patch', version: '1.0.0' }
      await nc.jetstream().publish(subjects.eventsStarted('x1', pc), enc.encode(encodeEventStarted(e)))
    }
    await waitFor(() => row('r-pc-b'), (r) => r !== undefined, 'the in-flight rows')

    reaper = startReaper(app.core, { timeoutOf: (job) => (job === 'patch' ? 30 * 60_000 : null), settings: { firstRunDelayMs: 3_600_000 } })
    const report = await reaper.runNow()
    expect(report?.reaped).toBe(2)
    expect(row('r-pc-a')).toMatchObject({ exit_code: -1, lost: 1 })
    expect(row('r-pc-a')!.stderr).toContain(`${LOST_NOTE_PREFIX} 70m of its start`) // 2 × 30 min + 10 min
    expect(exec()).toEqual({ success_count: 0, failure_count: 2, status: 'completed' })

    // pc-a's result arrives after all: success. It replaces the lost row; one failure becomes a success.
    const result = {
      result_id: 'r-pc-a', request_id: 'q1', exec_id: 'x1', pc_id: 'pc-a', exit_code: 0, stdout: 'patched', stderr: '',
      started_at: toWire(started), finished_at: toWire(started + 20 * 60_000), manifest_id: 'patch',
    }
    await nc.jetstream().publish(subjects.results('q1'), enc.encode(encodeExecResult(result)))
    await waitFor(() => row('r-pc-a')!.lost, (l) => l === 0, 'the late result to replace the lost row')
    expect(row('r-pc-a')).toMatchObject({ exit_code: 0, stderr: '', lost: 0, finished_at: new Date(started + 20 * 60_000).toISOString() })
    expect(exec()).toEqual({ success_count: 1, failure_count: 1, status: 'completed' })

    // The same result redelivered (or published twice) changes nothing more.
    await nc.jetstream().publish(subjects.results('q1'), enc.encode(encodeExecResult(result)))
    const other = { ...result, result_id: 'r-pc-b', pc_id: 'pc-b', exit_code: 3, stdout: '', stderr: 'failed late' }
    await nc.jetstream().publish(subjects.results('q1'), enc.encode(encodeExecResult(other)))
    await waitFor(() => row('r-pc-b')!.lost, (l) => l === 0, "pc-b's late failure to replace its lost row")
    // A late failure replacing a lost row (already one failure) leaves the counters as they are.
    expect(exec()).toEqual({ success_count: 1, failure_count: 1, status: 'completed' })
    expect(row('r-pc-b')).toMatchObject({ exit_code: 3, stderr: 'failed late', lost: 0 })
    // Nothing left for the reaper.
    expect((await reaper.runNow())?.reaped).toBe(0)
  })
})
