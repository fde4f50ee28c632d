// Fault: the console process is SIGKILLed (twice) in the middle of projecting 50,000
// results, restarted each time, and ends with exactly 50,000 rows, exact `executions`
// counters, every audit event once, and no dead letter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeAuditEvent } from '../../src/shared/wire'
import { subjects } from '../../src/shared/nats-names'
import {
  count,
  counterMismatches,
  openReader,
  publishAll,
  resultMessages,
  seedResultsDb,
  startConsoleProcess,
  startFaultEnv,
  stopFaultEnv,
  waitFor,
  type ConsoleProc,
  type FaultEnv,
} from './support'

const N = 50_000
const EXECS = Array.from({ length: 50 }, (_, i) => `exec-${String(i).padStart(2, '0')}`)
const AUDITS = 500

let env: FaultEnv | undefined
let consoleProc: ConsoleProc | null = null

beforeAll(async () => {
  env = await startFaultEnv('kc-crash-')
})
afterAll(async () => {
  await consoleProc?.kill9()
  await stopFaultEnv(env)
})

describe('SIGKILL during projection', () => {
  it('restarts to exactly 50,000 rows, exact counters, no duplicate', { timeout: 120_000 }, async () => {
    const { nats, nc, data } = env!
    const dbPath = seedResultsDb(data.dir, EXECS, N)
    const reader = openReader(dbPath)
    const rows = () => count(reader, 'SELECT count(*) FROM execution_results')

    const { msgs, expected } = resultMessages(N, EXECS)
    const audits = Array.from({ length: AUDITS }, (_, i) => ({
      subject: subjects.audit('operator', 'exec', `job-${i}`),
      data: new TextEncoder().encode(
        encodeAuditEvent({ actor: 'operator', action: 'exec', target: `job-${i}`, payload: { i }, occurred_at: new Date().toISOString() }),
      ),
    }))
    // Interleave the audit events with the results so both projectors are mid-stream at a kill.
    const all = msgs.flatMap((m, i) => (i % (N / AUDITS) === 0 ? [m, audits[i / (N / AUDITS)]] : [m]))

    consoleProc = await startConsoleProcess({ natsUrl: nats.url, dataDir: data.dir })
    const publishing = publishAll(nc, all, { window: 1024, dedupe: false })

    // First kill once a quarter is projected, second one at 60 % after a restart.
    const killedAt: number[] = []
    for (const fraction of [0.25, 0.6]) {
      await waitFor(rows, (n) => n >= N * fraction, `${fraction * 100} % projected`, 60_000, 20)
      await consoleProc.kill9()
      killedAt.push(rows())
      consoleProc = await startConsoleProcess({ natsUrl: nats.url, dataDir: data.dir })
    }
    const pub = await publishing
    expect(pub.published).toBe(N + AUDITS)

    await waitFor(rows, (n) => n >= N, 'all 50,000 rows', 60_000, 100)
    await waitFor(() => count(reader, 'SELECT count(*) FROM audit_log'), (n) => n >= AUDITS, 'all audit rows', 30_000)
    // Let anything redelivered settle, then check nothing moved twice.
    await waitFor(
      () => count(reader, "SELECT count(*) FROM executions WHERE status = 'completed'"),
      (n) => n === EXECS.length,
      'every exec completed',
      30_000,
    )
    await consoleProc.stop()
    consoleProc = null

    // Each kill landed mid-projection.
    expect(killedAt[0]).toBeGreaterThan(0)
    expect(killedAt[0]).toBeLessThan(N)
    expect(killedAt[1]).toBeLessThan(N)
    expect(rows()).toBe(N)
    expect(count(reader, 'SELECT count(DISTINCT result_id) FROM execution_results')).toBe(N)
    expect(count(reader, 'SELECT count(*) FROM execution_results WHERE exit_code IS NULL OR finished_at IS NULL')).toBe(0)
    expect(counterMismatches(reader, expected)).toEqual([])
    expect(count(reader, 'SELECT sum(success_count + failure_count) FROM executions')).toBe(N)
    expect(count(reader, 'SELECT count(*) FROM audit_log')).toBe(AUDITS)
    expect(count(reader, 'SELECT count(DISTINCT stream_seq) FROM audit_log')).toBe(AUDITS)
    expect(count(reader, 'SELECT count(*) FROM dead_letters')).toBe(0)
    reader.close()
  })
})
