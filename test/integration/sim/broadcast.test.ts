import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { startFleet, type Fleet } from '../../../src/main/sim/fleet'
import { subjects } from '../../../src/shared/nats-names'
import { encodeCommand } from '../../../src/shared/wire'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { Collector } from './collect'

// 1,000 simulated agents on one connection run one broadcast to completion: every agent's
// start event and result are stored by JetStream (RESULTS / EVENTS), each exactly once.

const AGENTS = 1_000
let nats: TestNats
let fleet: Fleet

beforeAll(async () => {
  nats = await startTestNats()
  const nc = await nats.client()
  await bootstrapJetStream(nc, 1)
  fleet = await startFleet({ natsUrl: nats.url, agents: AGENTS, heartbeatMs: 60_000, execTimeMs: [0, 200], failRate: 0, slowRate: 0, flapRate: 0 })
})

afterAll(async () => {
  await fleet?.stop()
  await nats?.stop()
})

it(`runs a broadcast on ${AGENTS} agents to completion`, async () => {
  const nc = await nats.client()
  const jsm = await nc.jetstreamManager()
  const got = new Collector(nc)
  await got.ready()
  const cmd = { id: 'echo', version: '1.0.0', request_id: randomUUID(), exec_id: randomUUID(), shell: 'powershell' as const, script: 'hostname', timeout_secs: 60 }
  nc.publish(subjects.commandsAll, new TextEncoder().encode(encodeCommand(cmd)))
  await nc.flush()

  const stored = async (stream: string) => (await jsm.streams.info(stream)).state.messages
  const deadline = Date.now() + 20_000
  while ((await stored('RESULTS')) < AGENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  await fleet.idle()

  expect(await stored('RESULTS')).toBe(AGENTS)
  expect(await stored('EVENTS')).toBe(AGENTS)
  const pcs = new Set(got.results.map((r) => r.value.pc_id))
  expect(pcs.size).toBe(AGENTS)
  const eol = (pc: string) => (fleet.agent(pc)!.osFamily === 'windows' ? '\r\n' : '\n')
  expect(got.results.filter((r) => r.value.exit_code !== 0 || r.value.stdout !== r.value.pc_id + eol(r.value.pc_id))).toEqual([])
  expect(new Set(got.results.map((r) => r.value.result_id)).size).toBe(AGENTS)
  expect(fleet.stats()).toMatchObject({ commands: 1, received: AGENTS, finished: AGENTS, results: AGENTS, events: AGENTS })
  got.stop()
})
