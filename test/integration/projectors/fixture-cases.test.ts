// Every case of fixtures/projector-cases.json end to end: each `deliver` step is published to
// its JetStream stream and projected by the real runner (durable consumer, batches, acks).
// A redelivery step (`delivery` > 1) is produced by losing the ack of the first delivery,
// so JetStream redelivers the same sequence; `apply_fails_on_deliveries` uses the failApply
// hook. Heartbeats go through a core subscription.
import type { NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { listKeys, openKv } from '../../../src/main/core/nats/kv'
import { silentLogger } from '../../../src/main/core/log'
import { EventBus } from '../../../src/main/core/bus'
import { expirePendingExecutions } from '../../../src/main/core/projectors/cleanup'
import { HeartbeatProjector } from '../../../src/main/core/projectors/heartbeats'
import { ManifestCache } from '../../../src/main/core/projectors/manifests'
import type { StreamRunner } from '../../../src/main/core/projectors/runner'
import { parseTimestamp } from '../../../src/shared/time'
import { tempDb } from '../../helpers/db'
import { startTestNats, type TestNats } from '../../helpers/nats'
import {
  expectedTables,
  expectTables,
  loadProjectorCases,
  PROJECTOR_BY_STREAM,
  seedGiven,
  standInExec,
  stepBody,
} from '../../unit/projectors/support/cases'
import { deleteConsumers, envFor, OutcomeLog, purgeStreams, runnerFor, waitFor } from './support'

let nats: TestNats
let nc: NatsConnection
beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc)
})
afterAll(async () => nats?.stop())

const STREAMS = ['RESULTS', 'EVENTS', 'AUDIT', 'INVENTORY']
const cases = loadProjectorCases()

describe('projector-cases.json against a real nats-server', () => {
  cases.forEach((c, index) => {
    it(`${c.id}: ${c.name}`, async () => {
      const t = tempDb()
      const prefix = `case${index}`
      const runners: StreamRunner[] = []
      let hb: HeartbeatProjector | null = null
      const manifests = new ManifestCache(silentLogger)
      try {
        const db = t.db
        const kvGiven = seedGiven(db, c)
        await purgeStreams(nc, STREAMS)
        const jobs = await openKv(nc, 'jobs')
        for (const k of await listKeys(jobs)) await jobs.purge(k)
        for (const [k, v] of Object.entries(kvGiven.jobs ?? {})) await jobs.put(k, new TextEncoder().encode(JSON.stringify(v)))
        await manifests.start(nc)
        const env = envFor(db, manifests)

        // Which deliveries to fail / whose ack to lose, keyed by stream:realSeq:delivery.
        const failing = new Set<string>()
        const lostAcks = new Set<string>()
        const log = new OutcomeLog()
        const hooks = log.hooks({
          failApply: (m) => failing.has(`${m.stream}:${m.seq}:${m.deliveries}`),
          loseAck: (m) => lostAcks.has(`${m.stream}:${m.seq}:${m.deliveries}`),
        })
        const maxDeliver = Math.max(10, ...c.steps.map((s) => s.max_deliver ?? 0))
        const runnerOf = new Map<string, StreamRunner>()
        for (const stream of new Set(c.steps.filter((s) => s.op === 'deliver').map((s) => s.stream!))) {
          const r = runnerFor(nc, env, PROJECTOR_BY_STREAM[stream], {
            prefix,
            hooks,
            maxDeliver: c.steps.find((s) => s.stream === stream && s.max_deliver)?.max_deliver ?? maxDeliver,
          })
          r.start()
          runners.push(r)
          runnerOf.set(stream, r)
        }
        if (c.steps.some((s) => s.op === 'core')) {
          hb = new HeartbeatProjector(nc, env, new EventBus(), silentLogger, { flushMs: 5 })
          hb.start()
        }

        const refs: Record<string, string> = {}
        const realSeq = new Map<string, number>() // "STREAM:fixtureSeq" -> stream sequence
        let beats = 0
        for (let i = 0; i < c.steps.length; i++) {
          const step = c.steps[i]
          const label = `${c.id} step ${i + 1} (${step.op})`
          if (step.op === 'deliver') {
            const key = `${step.stream}:${step.stream_seq}`
            let seq = realSeq.get(key)
            const redelivery = (step.delivery ?? 1) > 1
            if (!redelivery) {
              const ack = await nc.jetstream().publish(step.subject!, stepBody(step, refs))
              seq = ack.seq
              realSeq.set(key, seq)
              for (const d of step.apply_fails_on_deliveries ?? []) failing.add(`${step.stream}:${seq}:${d}`)
              // A later step redelivers this sequence: lose the ack of this delivery.
              const next = c.steps.slice(i + 1).find((s) => s.op === 'deliver' && s.stream === step.stream && s.stream_seq === step.stream_seq)
              if (next && (next.delivery ?? 1) > 1) lostAcks.add(`${step.stream}:${seq}:1`)
            }
            const want = redelivery ? 2 : 1
            await waitFor(() => log.final(step.stream!, seq!).length >= want, `${label} to settle`)
            const settled = log.final(step.stream!, seq!)[want - 1]
            if (redelivery) expect(settled.msg.deliveries, `${label}: a real redelivery`).toBeGreaterThan(1)
            if (step.applied !== undefined) expect(settled.outcome.kind === 'applied', `${label}: applied (${settled.outcome.kind})`).toBe(step.applied)
          } else if (step.op === 'core') {
            nc.publish(step.subject!, stepBody(step, refs))
            await nc.flush()
            beats++
            await waitFor(() => hb!.received >= beats, `${label} heartbeat received`)
            await hb!.flush()
          } else if (step.op === 'cleanup') {
            expect(expirePendingExecutions(db, parseTimestamp(step.now!)!), `${label}: affected`).toBe(step.affected)
          } else if (step.op === 'exec') {
            const execId = `exec-${c.id.toLowerCase()}`
            standInExec(db, step, kvGiven, execId)
            if (step.exec_id_ref) refs[step.exec_id_ref] = execId
          }
        }

        const { tables } = expectedTables(c, refs, (stream, seq) => realSeq.get(`${stream}:${seq}`) ?? -1)
        expectTables(db, tables, c.id)
        if (c.expect.acked !== undefined) {
          const jsm = await nc.jetstreamManager()
          for (const [stream, r] of runnerOf) {
            await waitFor(async () => {
              const info = await jsm.consumers.info(stream, r.consumer)
              return info.num_ack_pending === 0 && info.num_pending === 0
            }, `${c.id}: every ${stream} message acked`)
          }
        }
      } finally {
        await Promise.all(runners.map((r) => r.stop()))
        await hb?.stop()
        manifests.stop()
        for (const s of STREAMS) await deleteConsumers(nc, s, prefix)
        t.cleanup()
      }
    })
  })
})
