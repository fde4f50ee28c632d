import { afterAll, beforeAll, expect, it } from 'vitest'
import type { NatsConnection } from 'nats'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { AckPublisher, PubAckError } from '../../../src/main/sim/ack-publisher'
import { startTestNats, type TestNats } from '../../helpers/nats'

// The agents' JetStream publish: settles on the stream's PubAck, fails when no stream
// captures the subject (the agent then keeps the message in its outbox).

let nats: TestNats
let nc: NatsConnection

beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc, 1)
})
afterAll(async () => nats?.stop())

it('resolves once the stream stored the message', async () => {
  const p = new AckPublisher(nc)
  const jsm = await nc.jetstreamManager()
  await Promise.all(Array.from({ length: 50 }, (_, i) => p.publish(`results.req-${i}`, new TextEncoder().encode(`{"n":${i}}`))))
  expect((await jsm.streams.info('RESULTS')).state.messages).toBe(50)
  expect(p.inFlight).toBe(0)
  p.close()
})

it('rejects when no stream captures the subject, and when closed', async () => {
  const p = new AckPublisher(nc)
  await expect(p.publish('nowhere.at.all', new Uint8Array(0))).rejects.toBeInstanceOf(PubAckError)
  const pending = p.publish('results.late', new Uint8Array(0))
  p.close()
  await pending.catch(() => {}) // either acked before close or rejected by it
  expect(p.inFlight).toBe(0)
})

it('reports a missing PubAck after the ack timeout instead of hanging', async () => {
  const p = new AckPublisher(nc, 500)
  // Someone listens (so no "no responders"), but nobody acks.
  const sub = nc.subscribe('silent.subject', { callback: () => {} })
  await nc.flush()
  await expect(p.publish('silent.subject', new Uint8Array(0))).rejects.toThrow(/no PubAck within 500 ms/)
  sub.unsubscribe()
  p.close()
})
