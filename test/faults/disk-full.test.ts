// Fault: the disk fills up under the projection. A tiny `max_page_count` on the projection
// writer's connection makes SQLite answer SQLITE_FULL, as a full disk does. The failure shows in the
// projector status, no message is acked away (none dead-lettered, the broker still holds them
// unacked), and once there is room again projection resumes by itself and ends exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../src/main/core/console'
import { silentLogger } from '../../src/main/core/log'
import { projectorsSubsystem, type ProjectorsHandle } from '../../src/main/core/projectors'
import {
  count,
  counterMismatches,
  diagnose,
  openReader,
  publishAll,
  resultMessages,
  seedResultsDb,
  startFaultEnv,
  stopFaultEnv,
  waitFor,
  type FaultEnv,
} from './support'

let env: FaultEnv | undefined
let app: RunningConsole | null = null

beforeAll(async () => {
  env = await startFaultEnv('kc-full-')
})
afterAll(async () => {
  await app?.stop()
  await stopFaultEnv(env)
})

describe('disk full', () => {
  it('reports SQLITE_FULL, acks nothing away, and resumes when space is back', { timeout: 120_000 }, async () => {
    const { nats, nc, data } = env!
    const N = 3_000
    const EXECS = ['fexec-0', 'fexec-1', 'fexec-2']
    const dbPath = seedResultsDb(data.dir, EXECS, N)
    const config = loadConfig({ 'nats-url': nats.url, 'data-dir': data.dir, db: dbPath }, {})
    app = await startConsole(config, { http: false, subsystems: [projectorsSubsystem], log: silentLogger })
    const handle = app.core.subsystems.get('projectors') as ProjectorsHandle
    const results = () => handle.status().find((s) => s.name === 'results')!
    await waitFor(() => results().state, (s) => s === 'running', 'the results projector running')

    // "Disk full": the file may not grow beyond its current size plus a few pages.
    const pages = Number(await handle.pragma('page_count'))
    await handle.pragma(`max_page_count = ${pages + 4}`)

    const reader = openReader(dbPath)
    const rows = () => count(reader, 'SELECT count(*) FROM execution_results')
    const { msgs, expected } = resultMessages(N, EXECS)
    await publishAll(nc, msgs, { window: 512, dedupe: false })

    const failing = await waitFor(results, (s) => /full/i.test(s.last_error ?? ''), 'the status to report the full disk', 30_000)
    expect(failing.last_error).toMatch(/database or disk is full/)
    const stuckAt = rows()
    expect(stuckAt).toBeLessThan(N)

    // Nothing was acked away: no dead letter, and the broker still has the rest unacked.
    expect(count(reader, 'SELECT count(*) FROM dead_letters')).toBe(0)
    const jsm = await nc.jetstreamManager()
    const ci = await jsm.consumers.info('RESULTS', results().consumer!)
    expect(ci.ack_floor.stream_seq).toBeLessThanOrEqual(stuckAt)
    expect(ci.num_pending + ci.num_ack_pending).toBeGreaterThan(0)

    // Space is back.
    await handle.pragma('max_page_count = 1073741823')
    await waitFor(rows, (n) => n >= N, `all ${N} rows after space is back`, 60_000, 100).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${await diagnose(nc, reader)}`)
    })
    await waitFor(results, (s) => s.state === 'running', 'the results projector running again', 30_000)
    expect(rows()).toBe(N)
    expect(counterMismatches(reader, expected)).toEqual([])
    expect(count(reader, 'SELECT count(*) FROM dead_letters')).toBe(0)
    reader.close()
  })
})
