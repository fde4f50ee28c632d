// Fault: nats-server stops and comes back (same port, same store) while the console projects
// results, and between the waves of a rollout. The console's status shows the outage, it
// reconnects by itself, and nothing is lost or counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NatsConnection } from 'nats'
import { bootstrapJetStream } from '../../src/main/core/nats/bootstrap'
import { startFleet, type Fleet } from '../../src/main/sim/fleet'
import { tempDir } from '../helpers/db'
import {
  Broker,
  count,
  diagnose,
  counterMismatches,
  dbPathIn,
  getJson,
  openReader,
  publishAll,
  resultMessages,
  seedDb,
  seedExecutions,
  sleep,
  startConsoleProcess,
  waitFor,
  type ConsoleProc,
} from './support'

type Health = { status: string; nats_connected: boolean }

let broker: Broker
let nc: NatsConnection
const dirs: ReturnType<typeof tempDir>[] = []
const consoles: ConsoleProc[] = []
let fleet: Fleet | null = null

beforeAll(async () => {
  broker = await Broker.start()
  nc = await broker.client()
  await bootstrapJetStream(nc, 1)
})
afterAll(async () => {
  await fleet?.stop()
  for (const c of consoles) await c.kill9()
  await nc?.close()
  await broker?.close()
  for (const d of dirs) d.cleanup()
})

async function consoleOn(seed?: Parameters<typeof seedDb>[1]) {
  const data = tempDir('kc-broker-')
  dirs.push(data)
  if (seed) seedDb(dbPathIn(data.dir), seed)
  const c = await startConsoleProcess({ natsUrl: broker.url, dataDir: data.dir, env: { KANADE_CONSUMER_PREFIX: `faults${consoles.length}` } })
  consoles.push(c)
  return { c, reader: openReader(dbPathIn(data.dir)) }
}

const health = (c: ConsoleProc) => getJson<Health>(`${c.url}/api/health/fleet`)

/** Take the broker down until the console reports it, hold it down, bring it back, and wait
 *  until the console reports the connection again on its own. */
async function outage(c: ConsoleProc, holdMs: number): Promise<{ during: { status: number; body: Health } }> {
  await broker.down()
  const during = await waitFor(() => health(c), (h) => !h.body.nats_connected, 'the console to report the outage', 15_000)
  await sleep(holdMs)
  await broker.up()
  await waitFor(() => health(c), (h) => h.body.nats_connected, 'the console to reconnect by itself', 30_000, 100)
  return { during }
}

describe('broker restart', () => {
  it('during projection: outage reported, reconnects by itself, exactly N rows and counters', { timeout: 120_000 }, async () => {
    const N = 20_000
    const EXECS = Array.from({ length: 20 }, (_, i) => `bexec-${i}`)
    const { c, reader } = await consoleOn((db) => seedExecutions(db, EXECS, N / EXECS.length))
    const rows = () => count(reader, "SELECT count(*) FROM execution_results WHERE exec_id LIKE 'bexec-%'")
    const { msgs, expected } = resultMessages(N, EXECS)
    const publishing = publishAll(nc, msgs, { window: 256 })

    await waitFor(rows, (n) => n >= N / 5, 'a fifth projected', 60_000, 20)
    const { during } = await outage(c, 1500)
    expect(during.status).toBe(503) // kanade's rule: a missing JetStream contract is "degraded"
    expect(during.body.status).toBe('degraded')
    const atOutage = rows()
    expect(atOutage).toBeLessThan(N) // the outage hit mid-projection

    const pub = await publishing
    expect(pub.published).toBe(N)
    // The broker kept every acked message (else a shortfall below is the broker's, not ours).
    const jsm = await nc.jetstreamManager()
    expect((await jsm.streams.info('RESULTS')).state.messages).toBe(N)
    await waitFor(rows, (n) => n >= N, `all ${N} rows`, 60_000, 100).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${await diagnose(nc, reader, c)}`)
    })
    await waitFor(
      () => count(reader, "SELECT count(*) FROM executions WHERE exec_id LIKE 'bexec-%' AND status = 'completed'"),
      (n) => n === EXECS.length,
      'every exec completed',
      30_000,
    )
    expect(rows()).toBe(N)
    expect(count(reader, "SELECT count(DISTINCT result_id) FROM execution_results WHERE exec_id LIKE 'bexec-%'")).toBe(N)
    expect(counterMismatches(reader, expected)).toEqual([])
    expect(count(reader, 'SELECT count(*) FROM dead_letters')).toBe(0)
    const projectors = await getJson<{ name: string; state: string }[]>(`${c.url}/api/projectors`)
    expect(projectors.body.filter((p) => p.state !== 'running')).toEqual([])
    reader.close()
  })

  it('during a wave rollout: the late wave goes out after the broker is back, each PC runs once', { timeout: 150_000 }, async () => {
    const { c, reader } = await consoleOn()
    fleet = await startFleet({
      natsUrl: broker.url,
      agents: 30,
      groups: ['canary', 'wave1', 'wave2'],
      heartbeatMs: 2_000,
      execTimeMs: [0, 50],
      failRate: 0,
      slowRate: 0,
      flapRate: 0,
      seed: 7,
    })
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${c.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const json = (await res.json()) as Record<string, unknown>
      expect(res.status, JSON.stringify(json)).toBeLessThan(300)
      return json
    }
    await post('/api/jobs', { id: 'wave-job', version: '1.0.0', execute: { shell: 'powershell', script: 'hostname', timeout: '30s' } })
    const exec = (await post('/api/exec/wave-job', {
      target: { groups: ['canary', 'wave1', 'wave2'] },
      rollout: {
        strategy: 'wave',
        waves: [
          { group: 'canary', delay: '0s' },
          { group: 'wave1', delay: '20s' },
          { group: 'wave2', delay: '22s' },
        ],
      },
    })) as { exec_id: string; target_count: number }
    const wave1Due = Date.now() + 20_000
    expect(exec.target_count).toBe(30)
    const done = () =>
      reader.prepare('SELECT success_count, failure_count, status FROM executions WHERE exec_id = ?').get(exec.exec_id) as {
        success_count: number
        failure_count: number
        status: string
      }
    const canary = fleet.summary().filter((a) => a.groups.includes('canary')).length
    expect(canary).toBeGreaterThan(0)
    await waitFor(done, (e) => e.success_count >= canary, 'the canary wave projected', 15_000)
    expect(done().success_count).toBe(canary) // later waves still pending

    // Down across wave1's due time: it cannot go out, stays pending, goes out after.
    const { during } = await outage(c, Math.max(0, wave1Due - Date.now()) + 2_000)
    expect(during.body.nats_connected).toBe(false)

    await waitFor(done, (e) => e.status === 'completed', 'the rollout to complete', 60_000, 100)
    expect(done()).toEqual({ success_count: 30, failure_count: 0, status: 'completed' })
    const perPc = reader
      .prepare('SELECT pc_id, count(*) AS n FROM execution_results WHERE exec_id = ? GROUP BY pc_id')
      .all(exec.exec_id) as { pc_id: string; n: number }[]
    expect(perPc).toHaveLength(30)
    expect(perPc.filter((r) => r.n !== 1)).toEqual([])
    const waves = reader
      .prepare('SELECT wave_index, status, attempts > 0 AS retried FROM pending_wave_publishes WHERE exec_id = ? ORDER BY wave_index')
      .all(exec.exec_id)
    expect(waves).toEqual([
      { wave_index: 1, status: 'published', retried: 1 }, // due during the outage: retried, then published
      { wave_index: 2, status: 'published', retried: expect.any(Number) },
    ])
    await fleet.idle(10_000)
    expect(fleet.stats().finished).toBe(30) // each simulated PC ran the command once
    reader.close()
  })
})
