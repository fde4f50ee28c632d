// Fault: the network between the console and the broker drops again and again while results
// are delivered (bytes on the wire are lost, the client reconnects and pulls again). Deliveries
// lost in transit come back from JetStream only after ack_wait, behind newer messages; the
// projection must not skip them as "already applied": exactly N rows and counters at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NatsConnection } from 'nats'
import { loadConfig } from '../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../src/main/core/console'
import { createLogger } from '../../src/main/core/log'
import { bootstrapJetStream } from '../../src/main/core/nats/bootstrap'
import { projectorsSubsystem } from '../../src/main/core/projectors'
import { tempDir } from '../helpers/db'
import {
  Broker,
  count,
  counterMismatches,
  CuttableLink,
  diagnose,
  openReader,
  publishAll,
  resultMessages,
  seedResultsDb,
  sleep,
  waitFor,
} from './support'

let broker: Broker
let link: CuttableLink
let nc: NatsConnection
let data: ReturnType<typeof tempDir>
let app: RunningConsole | null = null

beforeAll(async () => {
  broker = await Broker.start()
  link = await CuttableLink.to(broker.port)
  nc = await broker.client()
  await bootstrapJetStream(nc, 1)
  data = tempDir('kc-drop-')
})
afterAll(async () => {
  await app?.stop()
  await nc?.close()
  await link?.close()
  await broker?.close()
  data?.cleanup()
})

describe('network drops during projection', () => {
  it('ends with exactly N rows and exact counters after repeated cuts', { timeout: 120_000 }, async () => {
    const N = 30_000
    const EXECS = Array.from({ length: 30 }, (_, i) => `dexec-${i}`)
    const dbPath = seedResultsDb(data.dir, EXECS, N)
    const logged: string[] = []
    const sink = { write: (s: string) => logged.push(s) } as unknown as Parameters<typeof createLogger>[2]
    const config = loadConfig({ 'nats-url': link.url, 'data-dir': data.dir, db: dbPath }, {})
    app = await startConsole(config, { http: false, subsystems: [projectorsSubsystem], log: createLogger('warn', 'console', sink) })
    const reader = openReader(dbPath)
    const rows = () => count(reader, 'SELECT count(*) FROM execution_results')

    const { msgs, expected } = resultMessages(N, EXECS)
    const T0 = Date.now()
    const timeline: string[] = []
    const tl = setInterval(() => timeline.push(`${Date.now() - T0}:${rows()}`), 1000)
    let published = false
    const publishing = publishAll(nc, msgs, { window: 1024, dedupe: false }).finally(() => (published = true))
    let cuts = 0
    // Cut while results still flow in (publishing, or the console catching up).
    while ((!published || rows() < N * 0.8) && cuts < 8) {
      await sleep(300)
      // Every other cut first swallows what the broker sends: deliveries lost in transit.
      const n = cuts % 2 ? link.cut() : await link.dropThenCut(150)
      if (n > 0) {
        cuts++
        timeline.push(`CUT@${Date.now() - T0}`)
      }
    }
    expect(cuts).toBeGreaterThan(2)
    await publishing

    await waitFor(rows, (n) => n >= N, `all ${N} rows`, 90_000, 100).catch(async (e) => {
      throw new Error(`${(e as Error).message}\nrows over time (ms:rows): ${timeline.join(' ')}\n${await diagnose(nc, reader)}\n${logged.slice(-20).join('')}`)
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
    clearInterval(tl)
    // How often the lost-in-transit path was taken varies run to run (a session may also just
    // end and be recreated): printed, not asserted.
    const restarts = logged.filter((l) => l.includes('lost in transit')).length
    console.log(`connection-drop: ${cuts} cuts, ${restarts} sessions restarted for deliveries lost in transit`)
    reader.close()
  })
})
