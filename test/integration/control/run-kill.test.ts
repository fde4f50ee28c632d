import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodeExecResult } from '../../../src/shared/wire'
import { controlTuning } from '../../../src/main/core/control/tuning'
import { FakeAgent } from '../../helpers/fake-agent'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { wireVectors } from '../../unit/wire/fixtures'
import { apiError, startHarness, type Harness } from './harness'

// One agent at a time: ad-hoc run (result or a clean 408), ping, logs, and the kill switch.

let nats: TestNats
let h: Harness
let minipc: FakeAgent
let slow: FakeAgent
let silent: FakeAgent
const saved = { ...controlTuning }

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
  controlTuning.runGraceMs = 300
  controlTuning.logsTimeoutMs = 400
  minipc = await FakeAgent.start({
    url: nats.url,
    pcId: 'MINIPC',
    respond: (cmd) => ({ exitCode: 0, stdout: `ran ${cmd.script}\n` }),
  })
  slow = await FakeAgent.start({ url: nats.url, pcId: 'SLOWPC', respond: () => ({ exitCode: 0, runMs: 20_000 }) })
  silent = await FakeAgent.start({ url: nats.url, pcId: 'SILENT' })
  await h.call('upsertJob', { body: wireVectors().find((v) => v.name === 'manifest/minimal')!.payload })
})
afterAll(async () => {
  Object.assign(controlTuning, saved)
  for (const a of [minipc, slow, silent]) await a?.stop()
  await h?.close()
  await nats?.stop()
})
beforeEach(async () => {
  await h.settleAudits()
  h.audits.length = 0
  h.auditSubjects.length = 0
})

describe('POST /api/run', () => {
  it('subscribes first, publishes the ad-hoc Command, returns the agent’s ExecResult verbatim, audits once', async () => {
    const out = await h.call<Record<string, unknown>>('runScript', { body: { pc_id: 'MINIPC', shell: 'cmd', script: 'hostname' } })
    const d = minipc.accepted.at(-1)!
    const fixture = wireVectors().find((v) => v.name === 'command/adhoc-run')!.payload as Record<string, unknown>
    expect(d.subject).toBe('commands.pc.MINIPC')
    expect(d.raw).toBe(JSON.stringify({ ...fixture, request_id: d.command.request_id }))
    expect(JSON.stringify(out)).toBe(encodeExecResult(minipc.results.at(-1)!)) // verbatim, key order included
    expect(Object.keys(out)).toEqual(['result_id', 'request_id', 'pc_id', 'exit_code', 'stdout', 'stderr', 'started_at', 'finished_at', 'manifest_id'])
    expect(out.stdout).toBe('ran hostname\n')
    await h.settleAudits()
    expect(h.auditSubjects).toEqual(['audit.console.run.MINIPC'])
    expect(h.audits[0].payload).toMatchObject({ request_id: d.command.request_id, shell: 'cmd', script: 'hostname' })
  })

  it('maps kanade’s shell names and refuses others with 400 naming the shell', async () => {
    await h.call('runScript', { body: { pc_id: 'MINIPC', shell: 'pwsh', script: 'Get-Date', timeout_secs: 5 } })
    expect(minipc.accepted.at(-1)!.command.shell).toBe('powershell')
    const e = await apiError(() => h.call('runScript', { body: { pc_id: 'MINIPC', shell: 'bash', script: 'ls' } }))
    expect(e.status).toBe(400)
    expect(e.message).toMatch(/^invalid shell "bash"/)
  })

  it('carries exec_id (or its old name job_id) and jitter_secs', async () => {
    await h.call('runScript', { body: { pc_id: 'MINIPC', script: 'x', timeout_secs: 5, job_id: 'my-exec', jitter_secs: 3 } })
    const c = minipc.accepted.at(-1)!.command
    expect([c.exec_id, c.jitter_secs, c.shell, c.timeout_secs]).toEqual(['my-exec', 3, 'powershell', 5])
    const e = await apiError(() => h.call('runScript', { body: { pc_id: 'MINIPC', script: 'x', exec_id: 'a', job_id: 'b' } }))
    expect(e.status).toBe(400)
  })

  it('times out cleanly with 408 and a clear message when the PC does not answer', async () => {
    const t0 = Date.now()
    const e = await apiError(() => h.call('runScript', { body: { pc_id: 'SILENT', script: 'x', timeout_secs: 1 } }))
    expect(e.status).toBe(408)
    expect(e.message).toMatch(/^timeout waiting for result on results\.[0-9a-f-]{36}: SILENT did not answer/)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1300)
    expect(silent.deliveries).toHaveLength(1)
  })

  it('refuses a pc id that is not a subject token', async () => {
    const e = await apiError(() => h.call('runScript', { body: { pc_id: 'a.*', script: 'x' } }))
    expect(e.status).toBe(400)
    expect(e.message).toMatch(/pc_id/)
  })
})

describe('ping and logs', () => {
  it('ping returns the next heartbeat, 408 when none comes', async () => {
    const p = h.call<{ heartbeat: Record<string, unknown> }>('pingAgent', { params: { pc_id: 'MINIPC' }, query: { wait_secs: '5' } })
    await new Promise((r) => setTimeout(r, 100))
    await minipc.heartbeat()
    const out = await p
    expect(out.heartbeat).toMatchObject({ pc_id: 'MINIPC', agent_version: '0.30.0' })
    const e = await apiError(() => h.call('pingAgent', { params: { pc_id: 'SILENT' }, query: { wait_secs: '1' } }))
    expect(e.status).toBe(408)
  })

  it('logs: the reply text; 504 when the agent does not reply; 502 when nobody listens', async () => {
    minipc.answerLogs('line 1\nline 2\n')
    expect(await h.call('agentLogs', { params: { pc_id: 'MINIPC' }, query: { tail: '2' } })).toBe('line 1\nline 2\n')
    expect((await apiError(() => h.call('agentLogs', { params: { pc_id: 'SILENT' } }))).status).toBe(504)
    expect((await apiError(() => h.call('agentLogs', { params: { pc_id: 'NOBODY' } }))).status).toBe(502)
  })
})

describe('kill', () => {
  it('POST /api/jobs/:job_id/kill reaches the running agent (exit -1) and audits the exec ids', async () => {
    const r = await h.call<{ exec_id: string }>('execJob', { params: { job_id: 'echo-test' }, body: { target: { pcs: ['SLOWPC'] } } })
    await slow.waitFor(() => slow.accepted.some((d) => d.command.exec_id === r.exec_id), 5000, 'the command')
    await new Promise((res) => setTimeout(res, 200)) // the child is "running" and listens on kill.<exec_id>
    await h.settleAudits()
    h.audits.length = 0
    h.auditSubjects.length = 0
    await h.call('killJob', { params: { job_id: 'echo-test' } })
    await slow.waitFor(() => slow.results.some((x) => x.exec_id === r.exec_id), 5000, 'the killed result')
    const res = slow.results.find((x) => x.exec_id === r.exec_id)!
    expect(res.exit_code).toBe(-1)
    expect(res.stderr).toBe(`killed by remote signal (kill.${r.exec_id})`)
    expect(slow.kills).toContain(r.exec_id)
    await h.settleAudits()
    expect(h.auditSubjects).toEqual(['audit.console.kill.echo-test'])
    expect(h.audits[0].payload).toMatchObject({ exec_ids: [r.exec_id] })
  })

  it('POST /api/executions/:exec_id/kill publishes an empty body on kill.<exec_id>', async () => {
    const sub = h.nc.subscribe('kill.some-agent-side-exec', { max: 1 })
    await h.nc.flush()
    await h.call('killExecution', { params: { exec_id: 'some-agent-side-exec' } })
    for await (const m of sub) expect(m.data.length).toBe(0)
    await h.settleAudits()
    expect(h.auditSubjects).toEqual(['audit.console.kill.some-agent-side-exec'])
    const e = await apiError(() => h.call('killExecution', { params: { exec_id: 'a.>' } }))
    expect(e.status).toBe(400)
  })
})
