import { randomUUID } from 'node:crypto'
import type { NatsConnection } from 'nats'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { startFleet, type Fleet } from '../../../src/main/sim/fleet'
import { AGENT_RELEASES, KV as BUCKETS, subjects } from '../../../src/shared/nats-names'
import { decodeHeartbeat, encodeCommand, type Heartbeat } from '../../../src/shared/wire'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { Collector } from './collect'

// Config followed live (heartbeat cadence, self-update to target_version) and the replay of
// EXEC's retained Commands at boot, including 0.30's unchecked group subjects.

const enc = new TextEncoder()
let nats: TestNats
let nc: NatsConnection
let fleet: Fleet | null = null
const beats: { at: number; hb: Heartbeat }[] = []

beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc, 1)
  nc.subscribe('heartbeat.>', { callback: (_e, m) => beats.push({ at: Date.now(), hb: decodeHeartbeat(JSON.parse(new TextDecoder().decode(m.data))) }) })
})
afterAll(async () => {
  await fleet?.stop()
  await nats?.stop()
})

it('replays retained Commands at boot: commands.all and every group subject, member or not', async () => {
  const got = new Collector(nc)
  await got.ready()
  const toAll = { id: 'a', version: '1', request_id: randomUUID(), exec_id: randomUUID(), shell: 'powershell' as const, script: 'hostname', timeout_secs: 30 }
  const toGroup = { ...toAll, request_id: randomUUID(), exec_id: randomUUID() }
  const toOtherPc = { ...toAll, request_id: randomUUID(), exec_id: randomUUID() }
  nc.publish(subjects.commandsAll, enc.encode(encodeCommand(toAll)))
  nc.publish(subjects.commandsGroup('nobody-is-in-this-group'), enc.encode(encodeCommand(toGroup)))
  nc.publish(subjects.commandsPc('SOMEONE-ELSE'), enc.encode(encodeCommand(toOtherPc)))
  await nc.flush()

  fleet = await startFleet({ natsUrl: nats.url, agents: 2, namePrefix: 'PC-', replayOnBoot: true, heartbeatMs: 60_000, execTimeMs: [0, 5], failRate: 0, slowRate: 0, flapRate: 0 })
  await got.until(() => got.resultsFor(toAll.request_id).length === 2 && got.resultsFor(toGroup.request_id).length === 2, 5_000, 'replayed results')
  await fleet.idle()
  expect(got.resultsFor(toOtherPc.request_id)).toHaveLength(0)
  got.stop()
})

it('follows agent_config live: heartbeat_interval changes the cadence', async () => {
  // First beats are spread over the first second after start; measure after them.
  while (!beats.some((b) => b.hb.pc_id === 'PC-0002')) await new Promise((r) => setTimeout(r, 50))
  const config = await nc.jetstream().views.kv(BUCKETS.agentConfig, { bindOnly: true })
  await config.put('pcs.PC-0001', enc.encode('{"heartbeat_interval":"300ms"}'))
  const from = Date.now()
  await new Promise((r) => setTimeout(r, 1_700))
  const mine = beats.filter((b) => b.at >= from && b.hb.pc_id === 'PC-0001')
  const other = beats.filter((b) => b.at >= from && b.hb.pc_id === 'PC-0002')
  expect(mine.length).toBeGreaterThanOrEqual(3)
  expect(other.length).toBe(0) // still on the 60 s built-in cadence
  await config.delete('pcs.PC-0001')
})

it('self-updates to target_version once agent_releases has it, and comes back on the new version', async () => {
  const js = nc.jetstream()
  const os = await js.views.os(AGENT_RELEASES)
  await os.putBlob({ name: '0.30.9' }, new Uint8Array([77, 90, 0, 0]))
  const config = await js.views.kv(BUCKETS.agentConfig, { bindOnly: true })
  await config.put('global', enc.encode('{"target_version":"0.30.9","target_version_jitter":"0s"}'))
  const deadline = Date.now() + 10_000
  const onNew = () => new Set(beats.filter((b) => b.hb.agent_version === '0.30.9').map((b) => b.hb.pc_id))
  while (onNew().size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  expect([...onNew()].sort()).toEqual(['PC-0001', 'PC-0002'])
  expect(fleet!.agents.every((a) => a.agentVersion === '0.30.9')).toBe(true)
})
