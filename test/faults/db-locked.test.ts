// Fault: another program holds the console's database with BEGIN EXCLUSIVE while results
// arrive — first shorter than the console's busy timeout (5 s: writes wait inside SQLite),
// then longer (SQLITE_BUSY: the runner keeps the batch unacked and retries). Projection
// stops while the lock is held, resumes by itself, and ends exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  count,
  counterMismatches,
  diagnose,
  getJson,
  openReader,
  publishAll,
  resultMessages,
  seedResultsDb,
  sleep,
  startConsoleProcess,
  startFaultEnv,
  stopFaultEnv,
  waitFor,
  type ConsoleProc,
  type FaultEnv,
} from './support'

let env: FaultEnv | undefined
let consoleProc: ConsoleProc | null = null

beforeAll(async () => {
  env = await startFaultEnv('kc-locked-')
})
afterAll(async () => {
  await consoleProc?.kill9()
  await stopFaultEnv(env)
})

describe('database locked by another connection', () => {
  it('projection waits while the lock is held and resumes after it', { timeout: 120_000 }, async () => {
    const { nats, nc, data } = env!
    const N = 10_000
    const EXECS = Array.from({ length: 10 }, (_, i) => `lexec-${i}`)
    const dbPath = seedResultsDb(data.dir, EXECS, N)
    consoleProc = await startConsoleProcess({ natsUrl: nats.url, dataDir: data.dir })
    const reader = openReader(dbPath)
    const rows = () => count(reader, 'SELECT count(*) FROM execution_results')
    const locker = openReader(dbPath)
    locker.pragma('busy_timeout = 10000')

    const { msgs, expected } = resultMessages(N, EXECS)
    // Slow enough that results keep arriving through both locks.
    const publishing = publishAll(nc, msgs, { window: 16, dedupe: false })

    const holdLock = async (ms: number) => {
      locker.exec('BEGIN EXCLUSIVE')
      const before = rows()
      const t0 = Date.now()
      const samples: number[] = []
      while (Date.now() - t0 < ms) {
        await sleep(250)
        samples.push(rows())
      }
      locker.exec('COMMIT')
      return { before, samples }
    }

    await waitFor(rows, (n) => n >= 1000, 'first rows', 60_000, 20)
    const short = await holdLock(2_500) // within the console's 5 s busy timeout
    await waitFor(rows, (n) => n > short.before + 200, 'projection to resume after the short lock', 30_000)

    const long = await holdLock(7_000) // beyond it: SQLITE_BUSY, retried, never acked away
    const status = await getJson<{ name: string; state: string; last_error: string | null }[]>(`${consoleProc.url}/api/projectors`)
    await waitFor(rows, (n) => n > long.before + 200, 'projection to resume after the long lock', 30_000)

    // Nothing was written while the lock was held (reads go on in WAL mode).
    for (const h of [short, long]) expect(new Set(h.samples)).toEqual(new Set([h.before]))
    expect(long.before).toBeLessThan(N) // the lock hit mid-projection

    await publishing
    await waitFor(rows, (n) => n >= N, `all ${N} rows`, 60_000, 100).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${await diagnose(nc, reader, consoleProc!)}`)
    })
    await waitFor(
      () => count(reader, "SELECT count(*) FROM executions WHERE status = 'completed'"),
      (n) => n === EXECS.length,
      'every exec completed',
      30_000,
    )
    expect(rows()).toBe(N)
    expect(counterMismatches(reader, expected)).toEqual([])
    expect(count(reader, 'SELECT count(*) FROM dead_letters')).toBe(0)
    // Right after the long lock the results projector was up (running, or retrying its batch).
    expect(status.body.find((p) => p.name === 'results')?.state).toMatch(/^(running|retrying)$/)
    locker.close()
    reader.close()
  })
})
