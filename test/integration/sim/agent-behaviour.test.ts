import { randomUUID } from 'node:crypto'
import type { JetStreamManager, KV, NatsConnection } from 'nats'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { startFleet, type Fleet } from '../../../src/main/sim/fleet'
import { KV as BUCKETS, subjects } from '../../../src/shared/nats-names'
import { decodeHeartbeat, encodeAgentGroups, encodeCommand, isWireTimestamp, type CommandInit } from '../../../src/shared/wire'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { Collector } from './collect'

// A simulated 0.30 agent against a real nats-server, judged only by what it publishes.

const enc = new TextEncoder()
let nats: TestNats
let nc: NatsConnection
let jsm: JetStreamManager
let fleet: Fleet
let got: Collector
let kv: { current: KV; status: KV; groups: KV }

function command(p: Partial<CommandInit> = {}): CommandInit {
  return {
    id: 'job-a',
    version: '1.0.0',
    request_id: randomUUID(),
    exec_id: randomUUID(),
    shell: 'powershell',
    script: 'hostname',
    timeout_secs: 30,
    jitter_secs: null,
    ...p,
  }
}

async function send(subject: string, cmd: CommandInit): Promise<void> {
  nc.publish(subject, enc.encode(encodeCommand(cmd)))
  await nc.flush()
}

/** True when RESULTS holds no message on results.<requestId>. */
async function noStoredResult(requestId: string): Promise<boolean> {
  try {
    await jsm.streams.getMessage('RESULTS', { last_by_subj: subjects.results(requestId) })
    return false
  } catch {
    return true
  }
}

const PC1 = 'PC-0001'
const PC2 = 'PC-0002'
const PC3 = 'PC-0003'

beforeAll(async () => {
  nats = await startTestNats()
  nc = await nats.client()
  await bootstrapJetStream(nc, 1)
  jsm = await nc.jetstreamManager()
  const js = nc.jetstream()
  kv = {
    current: await js.views.kv(BUCKETS.scriptCurrent, { bindOnly: true }),
    status: await js.views.kv(BUCKETS.scriptStatus, { bindOnly: true }),
    groups: await js.views.kv(BUCKETS.agentGroups, { bindOnly: true }),
  }
  got = new Collector(nc)
  await got.ready()
  fleet = await startFleet({
    natsUrl: nats.url,
    agents: 3,
    namePrefix: 'PC-',
    groups: ['canary', 'wave1'],
    heartbeatMs: 60_000,
    execTimeMs: [0, 5],
    failRate: 0,
    slowRate: 0,
    flapRate: 0,
    osMix: { windows: 1 },
    ackTimeoutMs: 1_000,
  })
})

afterAll(async () => {
  await fleet?.stop()
  got?.stop()
  await nats?.stop()
})

beforeEach(async () => {
  for (const pc of fleet.pcIds) fleet.setOnline(pc, true)
  await fleet.idle()
})

describe('simulated agent (real nats-server)', () => {
  it('names agents as asked, writes group memberships in the 0.30 shape and heartbeats at once', async () => {
    expect(fleet.pcIds).toEqual([PC1, PC2, PC3])
    const stored = await kv.groups.get(PC1)
    expect(new TextDecoder().decode(stored!.value)).toBe('{"groups":["canary"]}')
    expect(fleet.agent(PC3)!.groups).toEqual(['wave1'])

    const beats: ReturnType<typeof decodeHeartbeat>[] = []
    const sub = nc.subscribe('heartbeat.>', { callback: (_e, m) => beats.push(decodeHeartbeat(JSON.parse(new TextDecoder().decode(m.data)))) })
    // The subscription must be on the server before the agent's immediate beat (another connection).
    await nc.flush()
    fleet.setOnline(PC2, false)
    fleet.setOnline(PC2, true) // reconnect: beats immediately
    await got.until(() => beats.some((b) => b.pc_id === PC2), 3_000, 'a heartbeat')
    sub.unsubscribe()
    const hb = beats.find((b) => b.pc_id === PC2)!
    expect(hb.hostname).toBe(PC2)
    expect(['windows', 'linux', 'macos']).toContain(hb.os_family)
    expect(hb.agent_version).toMatch(/^0\.30\.\d+$/)
    expect(isWireTimestamp(hb.at)).toBe(true)
  })

  it('runs a command: start event then result, same result_id and started_at, on the right subjects', async () => {
    const cmd = command({ script: 'Write-Output "hello from $env:COMPUTERNAME"' })
    await send(subjects.commandsPc(PC1), cmd)
    await got.until(() => got.resultsFor(cmd.request_id).length === 1, 5_000, 'result')
    const [r] = got.resultsFor(cmd.request_id)
    const [ev] = got.eventsFor(cmd.request_id)
    expect(r.subject).toBe(`results.${cmd.request_id}`)
    expect(ev.subject).toBe(`events.started.${cmd.exec_id}.${PC1}`)
    expect(r.value).toMatchObject({ pc_id: PC1, exit_code: 0, exec_id: cmd.exec_id, manifest_id: 'job-a', stdout: `hello from ${PC1}\r\n`, stderr: '' })
    expect(ev.value.result_id).toBe(r.value.result_id)
    expect(ev.value.started_at).toBe(r.value.started_at)
    expect(ev.value.version).toBe('1.0.0')
    expect(Object.keys(r.raw)).toEqual(['result_id', 'request_id', 'exec_id', 'pc_id', 'exit_code', 'stdout', 'stderr', 'started_at', 'finished_at', 'manifest_id'])
    expect(await noStoredResult(cmd.request_id)).toBe(false) // JetStream-stored, not just core-published
  })

  it('skips silently when script_current pins another version', async () => {
    await kv.current.put('job-pinned', enc.encode('2.0.0'))
    const stale = command({ id: 'job-pinned', version: '1.0.0' })
    const fresh = command({ id: 'job-pinned', version: '2.0.0' })
    const before = fleet.stats().pinSkips
    await send(subjects.commandsPc(PC1), stale)
    await send(subjects.commandsPc(PC1), fresh)
    await got.until(() => got.resultsFor(fresh.request_id).length === 1, 5_000, 'the pinned version result')
    await fleet.idle()
    expect(got.resultsFor(stale.request_id)).toHaveLength(0)
    expect(got.eventsFor(stale.request_id)).toHaveLength(0)
    expect(await noStoredResult(stale.request_id)).toBe(true)
    expect(fleet.stats().pinSkips).toBe(before + 1)
  })

  it('skips silently while the job is REVOKED and runs again after unrevoke', async () => {
    await kv.status.put('job-revoked', enc.encode('REVOKED'))
    const revoked = command({ id: 'job-revoked' })
    const before = fleet.stats().revokeSkips
    await send(subjects.commandsPc(PC2), revoked)
    // The agent reads script_status when the command arrives: unrevoke only after that.
    await got.until(() => fleet.stats().revokeSkips === before + 1, 5_000, 'the revoke skip')
    await kv.status.put('job-revoked', enc.encode('ACTIVE'))
    const after = command({ id: 'job-revoked' })
    await send(subjects.commandsPc(PC2), after)
    await got.until(() => got.resultsFor(after.request_id).length === 1, 5_000, 'result after unrevoke')
    await fleet.idle()
    expect(got.resultsFor(revoked.request_id)).toHaveLength(0)
    expect(got.eventsFor(revoked.request_id)).toHaveLength(0)
  })

  it('answers a command past its deadline with a synthetic exit 125 and no start event', async () => {
    const late = command({ deadline_at: new Date(Date.now() - 65_000).toISOString() })
    const onTime = command({ deadline_at: new Date(Date.now() + 60_000).toISOString() })
    await send(subjects.commandsPc(PC3), late)
    await send(subjects.commandsPc(PC3), onTime)
    await got.until(() => got.resultsFor(late.request_id).length === 1 && got.resultsFor(onTime.request_id).length === 1, 5_000, 'results')
    const r = got.resultsFor(late.request_id)[0].value
    expect(r.exit_code).toBe(125)
    expect(r.stderr).toMatch(/^skipped: starting deadline expired 1m 5s ago \(deadline \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? UTC, received .* UTC\)$/)
    expect(r.started_at).toBe(r.finished_at)
    expect(got.eventsFor(late.request_id)).toHaveLength(0)
    expect(got.resultsFor(onTime.request_id)[0].value.exit_code).toBe(0)
    expect(got.eventsFor(onTime.request_id)).toHaveLength(1)
  })

  it('is killed by kill.<exec_id>: exit -1, the output so far, kanade\'s note', async () => {
    const cmd = command({ script: "Write-Output 'partial'\nStart-Sleep -Seconds 30\nWrite-Output 'never'" })
    await send(subjects.commandsPc(PC1), cmd)
    await got.until(() => got.eventsFor(cmd.request_id).length === 1, 5_000, 'start event')
    await new Promise((r) => setTimeout(r, 100)) // past spawn: the kill subscription is live
    nc.publish(subjects.kill(cmd.exec_id!), new Uint8Array(0))
    await got.until(() => got.resultsFor(cmd.request_id).length === 1, 5_000, 'killed result')
    const r = got.resultsFor(cmd.request_id)[0].value
    expect(r.exit_code).toBe(-1)
    expect(r.stdout).toBe('partial\r\n')
    expect(r.stderr).toBe(`killed by remote signal (kill.${cmd.exec_id})`)
  })

  it('times out after max(timeout_secs, 1): exit -1 and "timeout after Ns"; ad-hoc runs send no event and omit exec_id', async () => {
    const cmd = command({ id: 'adhoc-run', version: '0.0.0', exec_id: null, timeout_secs: 0, script: 'Start-Sleep -Seconds 20' })
    const t0 = Date.now()
    await send(subjects.commandsPc(PC2), cmd)
    await got.until(() => got.resultsFor(cmd.request_id).length === 1, 5_000, 'timeout result')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900)
    const r = got.resultsFor(cmd.request_id)[0]
    expect(r.value.exit_code).toBe(-1)
    expect(r.value.stderr).toBe('timeout after 1s')
    expect('exec_id' in r.raw).toBe(false)
    expect(got.eventsFor(cmd.request_id)).toHaveLength(0)
  })

  it('follows agent_groups live: subscribes to new groups and leaves old ones', async () => {
    const toWave1 = command()
    await send(subjects.commandsGroup('wave1'), toWave1)
    await got.until(() => got.resultsFor(toWave1.request_id).length === 2, 5_000, 'wave1 results')
    expect(got.resultsFor(toWave1.request_id).map((r) => r.value.pc_id).sort()).toEqual([PC2, PC3])

    await kv.groups.put(PC2, enc.encode(encodeAgentGroups(['wave2'])))
    await got.until(() => fleet.agent(PC2)!.groups.includes('wave2'), 3_000, 'membership change')
    const again = command()
    const toWave2 = command()
    await send(subjects.commandsGroup('wave1'), again)
    await send(subjects.commandsGroup('wave2'), toWave2)
    await got.until(() => got.resultsFor(toWave2.request_id).length === 1 && got.resultsFor(again.request_id).length === 1, 5_000, 'results')
    await fleet.idle()
    expect(got.resultsFor(again.request_id).map((r) => r.value.pc_id)).toEqual([PC3])
    expect(got.resultsFor(toWave2.request_id).map((r) => r.value.pc_id)).toEqual([PC2])

    await kv.groups.delete(PC2) // a deleted entry = no groups
    await got.until(() => fleet.agent(PC2)!.groups.length === 0, 3_000, 'membership removal')
  })

  it('runs a repeated request_id once (live duplicates and overlapping subjects)', async () => {
    const cmd = command()
    await send(subjects.commandsPc(PC1), cmd)
    await send(subjects.commandsPc(PC1), cmd)
    await send(subjects.commandsAll, cmd)
    await got.until(() => got.resultsFor(cmd.request_id).length >= 3, 5_000, 'results').catch(() => {})
    await fleet.idle()
    const byPc = got.resultsFor(cmd.request_id).map((r) => r.value.pc_id).sort()
    expect(byPc).toEqual([PC1, PC2, PC3]) // PC1 once, the others once from commands.all
    expect(fleet.stats().duplicates).toBeGreaterThanOrEqual(2)
  })

  it('misses commands and kills while offline, then replays the latest retained command on reconnect', async () => {
    fleet.setOnline(PC3, false)
    const missed = command()
    await send(subjects.commandsPc(PC3), missed)
    await new Promise((r) => setTimeout(r, 200))
    expect(got.resultsFor(missed.request_id)).toHaveLength(0)
    fleet.setOnline(PC3, true)
    await got.until(() => got.resultsFor(missed.request_id).length === 1, 5_000, 'replayed result')
    expect(got.resultsFor(missed.request_id)[0].value.pc_id).toBe(PC3)
  })

  it('keeps a result finished while offline in its outbox and publishes it on reconnect', async () => {
    const cmd = command({ script: 'Start-Sleep -Milliseconds 300; Write-Output done' })
    await send(subjects.commandsPc(PC1), cmd)
    await got.until(() => got.eventsFor(cmd.request_id).length === 1, 5_000, 'start event')
    fleet.setOnline(PC1, false)
    await new Promise((r) => setTimeout(r, 600))
    expect(got.resultsFor(cmd.request_id)).toHaveLength(0)
    fleet.setOnline(PC1, true)
    await got.until(() => got.resultsFor(cmd.request_id).length === 1, 5_000, 'drained result')
    expect(got.resultsFor(cmd.request_id)[0].value.stdout).toBe('done\r\n')
  })

  it('keeps retrying a result while RESULTS is missing, and delivers it once the stream exists', async () => {
    await jsm.streams.delete('RESULTS')
    const retriesBefore = fleet.stats().publishRetries
    const cmd = command()
    await send(subjects.commandsPc(PC2), cmd)
    // The test's own results.> subscription means no "no responders": the PubAck times out.
    await got.until(() => fleet.stats().publishRetries > retriesBefore, 5_000, 'a failed publish')
    await bootstrapJetStream(nc, 1)
    const deadline = Date.now() + 10_000
    while ((await noStoredResult(cmd.request_id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(await noStoredResult(cmd.request_id)).toBe(false)
    // Each attempt reached the test's core subscription too; the stored copy is the same result.
    expect(new Set(got.resultsFor(cmd.request_id).map((r) => r.value.result_id)).size).toBe(1)
  })
})
