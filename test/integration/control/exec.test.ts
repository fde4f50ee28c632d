import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { StringCodec } from 'nats'
import { TARGET_REQUIRED_MESSAGE } from '../../../src/shared/wire'
import { dispatchExec } from '../../../src/main/core/control/exec'
import { putRaw } from '../../../src/main/core/nats/kv'
import { FakeAgent } from '../../helpers/fake-agent'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { wireVectors } from '../../unit/wire/fixtures'
import { apiError, startHarness, type Harness } from './harness'

// The exec pipeline against a real broker and scripted 0.30 agents: exact Commands, the pin
// before the Command, one request_id per exec, target_count, the executions row, one audit.

const sc = StringCodec()
const vec = (name: string) => wireVectors().find((v) => v.name === name)!
type ExecResp = { exec_id: string; job_id: string; version: string; target_count: number; subjects: string[] }

let nats: TestNats
let h: Harness
const agents: FakeAgent[] = []

async function agent(pcId: string, groups: string[] = []): Promise<FakeAgent> {
  const a = await FakeAgent.start({ url: nats.url, pcId, groups })
  agents.push(a)
  return a
}

function online(pcId: string, atMs = h.core.now()) {
  const at = new Date(atMs).toISOString()
  h.core.db
    .prepare('INSERT OR REPLACE INTO agents (pc_id, last_heartbeat, last_seen_at, updated_at) VALUES (?, ?, ?, ?)')
    .run(pcId, at, at, at)
}

async function setGroups(pcId: string, value: unknown) {
  const kv = await h.nc.jetstream().views.kv('agent_groups', { bindOnly: true })
  await kv.put(pcId, sc.encode(JSON.stringify(value)))
}

function execRow(execId: string) {
  return h.core.db.prepare('SELECT * FROM executions WHERE exec_id = ?').get(execId) as Record<string, unknown>
}

/** The fixture Command with this exec's ids substituted, as compact JSON. */
function expectedJson(name: string, r: ExecResp, requestId: string, over: Record<string, unknown> = {}): string {
  const p = { ...(vec(name).payload as Record<string, unknown>), exec_id: r.exec_id, request_id: requestId, ...over }
  return JSON.stringify(p)
}

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
  for (const m of ['manifest/minimal', 'manifest/cleanup', 'manifest/strict-staleness-run-as-user']) {
    await h.call('upsertJob', { body: vec(m).payload })
  }
})
afterAll(async () => {
  for (const a of agents) await a.stop()
  await h?.close()
  await nats?.stop()
})
beforeEach(async () => {
  h.core.db.exec('DELETE FROM agents')
  await h.settleAudits()
  h.audits.length = 0
  h.auditSubjects.length = 0
})

describe('exec to all / groups / pcs', () => {
  it('broadcast: the exact 0.30 Command on commands.all, target_count = online agents, one audit', async () => {
    const a = await agent('pc-all-1')
    const b = await agent('pc-all-2')
    online('pc-all-1')
    online('pc-all-2')
    online('pc-stale', h.core.now() - 5 * 60_000)
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'echo-test' }, body: vec('fanout-plan/all-with-jitter').payload })
    expect(r).toMatchObject({ job_id: 'echo-test', version: '0.0.1', target_count: 2, subjects: ['commands.all'] })
    await a.waitFor(() => a.accepted.some((d) => d.command.exec_id === r.exec_id), 5000, 'the broadcast')
    await b.waitFor(() => b.accepted.some((d) => d.command.exec_id === r.exec_id), 5000, 'the broadcast')
    const d = a.accepted.find((x) => x.command.exec_id === r.exec_id)!
    expect(d.subject).toBe('commands.all')
    expect(d.raw).toBe(expectedJson('command/exec-all-with-jitter', r, d.command.request_id))

    const row = execRow(r.exec_id)
    expect(row).toMatchObject({
      job_id: 'echo-test',
      version: '0.0.1',
      initiated_by: 'console',
      target_count: 2,
      status: 'pending',
      request_id: d.command.request_id,
      subjects_json: '["commands.all"]',
      published_json: '["commands.all"]',
      publish_error: null,
    })
    expect(JSON.parse(row.expected_pcs_json as string)).toEqual(['pc-all-1', 'pc-all-2'])

    await h.settleAudits()
    expect(h.auditSubjects).toEqual(['audit.console.exec.echo-test'])
    expect(h.audits[0]).toMatchObject({
      actor: 'console',
      action: 'exec',
      target: 'echo-test',
      payload: { exec_id: r.exec_id, version: '0.0.1', target_count: 2, subjects: ['commands.all'], wave_mode: false },
    })
  })

  it('one pc with every optional field: byte-exact Command on commands.pc.<pc>', async () => {
    const pc = await agent('PC1234')
    const r = await h.call<ExecResp>('execJob', {
      params: { job_id: 'urgent-patch' },
      body: vec('fanout-plan/one-pc-with-deadline').payload,
    })
    expect(r.subjects).toEqual(['commands.pc.PC1234'])
    expect(r.target_count).toBe(1)
    await pc.waitFor(() => pc.accepted.length > 0, 5000, 'the command')
    const d = pc.accepted[0]
    expect(d.raw).toBe(expectedJson('command/exec-one-pc-all-optionals', r, d.command.request_id))
  })

  it('groups: members from agent_groups in both stored shapes count, online or not', async () => {
    const m1 = await agent('grp-m1', ['canary'])
    await setGroups('grp-m1', { groups: ['canary'] })
    await setGroups('grp-m2', ['canary', 'other']) // bare list (Q5), offline member
    await setGroups('grp-x', { groups: ['other'] })
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'cleanup' }, body: { target: { groups: ['canary'] } } })
    expect(r.subjects).toEqual(['commands.group.canary'])
    expect(r.target_count).toBe(2)
    expect(JSON.parse(execRow(r.exec_id).expected_pcs_json as string)).toEqual(['grp-m1', 'grp-m2'])
    await m1.waitFor(() => m1.accepted.some((d) => d.command.exec_id === r.exec_id), 5000, 'the group command')
    const d = m1.accepted.find((x) => x.command.exec_id === r.exec_id)!
    expect(d.raw).toBe(
      expectedJson('command/scheduled-wave-1', r, d.command.request_id, { jitter_secs: null, deadline_at: undefined }),
    )
  })

  it('a group with no members still records target_count 1', async () => {
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'echo-test' }, body: { target: { groups: ['empty-group'] } } })
    expect(r.target_count).toBe(1)
  })

  it('one request_id per exec: a PC reached by three subjects runs once; target_count counts it once', async () => {
    const a = await agent('dup-pc', ['dupgrp'])
    await setGroups('dup-pc', { groups: ['dupgrp'] })
    online('dup-pc')
    const r = await h.call<ExecResp>('execJob', {
      params: { job_id: 'echo-test' },
      body: { target: { all: true, groups: ['dupgrp'], pcs: ['dup-pc', 'dup-pc'] } },
    })
    expect(r.subjects).toEqual(['commands.all', 'commands.group.dupgrp', 'commands.pc.dup-pc'])
    expect(r.target_count).toBe(1)
    await a.waitFor(() => a.deliveries.filter((d) => d.command.exec_id === r.exec_id).length === 3, 5000, 'three deliveries')
    const mine = a.deliveries.filter((d) => d.command.exec_id === r.exec_id)
    expect(new Set(mine.map((d) => d.command.request_id)).size).toBe(1)
    expect(mine.filter((d) => !d.duplicate)).toHaveLength(1)
    expect(execRow(r.exec_id).request_id).toBe(mine[0].command.request_id)
  })

  it('target_count per the rule: listed pcs + group members + online agents, de-duplicated', async () => {
    online('tc-online-1')
    online('tc-online-2')
    online('tc-old', h.core.now() - 3 * 60_000)
    await setGroups('tc-member-off', { groups: ['tcg'] })
    await setGroups('tc-online-1', ['tcg'])
    const r = await h.call<ExecResp>('execJob', {
      params: { job_id: 'echo-test' },
      body: { target: { all: true, groups: ['tcg'], pcs: ['tc-listed', 'tc-online-2'] } },
    })
    expect(JSON.parse(execRow(r.exec_id).expected_pcs_json as string)).toEqual([
      'tc-listed',
      'tc-member-off',
      'tc-online-1',
      'tc-online-2',
    ])
    expect(r.target_count).toBe(4)
  })

  it('pins script_current BEFORE the Command arrives (Q2)', async () => {
    const a = await agent('pin-pc')
    const pins = await h.nc.jetstream().views.kv('script_current', { bindOnly: true })
    await putRaw(pins, 'echo-test', '0.0.0-old') // as if another console had pinned an older version
    const r = await h.call<ExecResp>('execJob', { params: { job_id: 'echo-test' }, body: { target: { pcs: ['pin-pc'] } } })
    await a.waitFor(() => a.deliveries.some((d) => d.command.exec_id === r.exec_id), 5000, 'the command')
    const d = a.deliveries.find((x) => x.command.exec_id === r.exec_id)!
    expect(d.pin).toBe('0.0.1')
    expect(d.skipped).toBeNull()
  })

  it('dispatchExec for the scheduler: actor scheduler, deadline_at = tick + starting_deadline, schedule id recorded', async () => {
    const tickMs = Date.parse('2026-05-20T12:00:00Z')
    const r = await dispatchExec(h.core, {
      jobId: 'cleanup',
      plan: { target: { pcs: ['sched-pc'] }, jitter: '30s' },
      actor: 'scheduler',
      tickMs,
      startingDeadline: '10m',
      scheduleId: 'hourly-cleanup-canary',
    })
    const row = execRow(r.exec_id)
    expect(row).toMatchObject({ initiated_by: 'scheduler', deadline_at: '2026-05-20T12:10:00Z', schedule_id: 'hourly-cleanup-canary' })
    const msg = await (await h.nc.jetstreamManager()).streams.getMessage('EXEC', { last_by_subj: 'commands.pc.sched-pc' })
    const cmd = JSON.parse(sc.decode(msg.data)) as Record<string, unknown>
    expect(cmd.deadline_at).toBe('2026-05-20T12:10:00Z')
    expect(cmd.jitter_secs).toBe(30)
    await h.settleAudits()
    expect(h.auditSubjects).toEqual(['audit.scheduler.exec.cleanup'])
    expect(h.audits[0].payload).not.toHaveProperty('sub')
  })

  it('HTTP-style callers: sub and source are merged into the audit payload', async () => {
    await h.call('execJob', { params: { job_id: 'echo-test' }, body: { target: { pcs: ['x1'] } } }, {
      actor: 'alice',
      sub: 'alice',
      source: 'cli',
    })
    await h.settleAudits()
    expect(h.auditSubjects).toEqual(['audit.alice.exec.echo-test'])
    expect(h.audits[0].payload).toMatchObject({ sub: 'alice', source: 'cli' })
  })
})

describe('exec validation: 400 naming the field, nothing published, nothing recorded', () => {
  const bad: [string, unknown, RegExp | string][] = [
    ['empty target', vec('fanout-plan/invalid-empty-target').payload, TARGET_REQUIRED_MESSAGE],
    ['bad jitter', { target: { all: true }, jitter: 'soon' }, /^invalid jitter: /],
    ['bad wave delay', { target: {}, rollout: { waves: [{ group: 'a', delay: '0s' }, { group: 'b', delay: '5 fortnights' }] } }, /^invalid rollout\.waves\[1\]\.delay/],
    ['bad deadline_at', { target: { all: true }, deadline_at: 'next tuesday' }, /deadline_at/],
    ['pc id with a dot', { target: { pcs: ['a.b'] } }, /^invalid target\.pcs\[0\]/],
    ['wrong type', { target: { all: 'yes' } }, /target\.all/],
  ]
  it.each(bad)('%s', async (_name, body, msg) => {
    const before = (h.core.db.prepare('SELECT COUNT(*) AS n FROM executions').get() as { n: number }).n
    const e = await apiError(() => h.call('execJob', { params: { job_id: 'echo-test' }, body }))
    expect(e.status).toBe(400)
    if (typeof msg === 'string') expect(e.message).toBe(msg)
    else expect(e.message).toMatch(msg)
    expect((h.core.db.prepare('SELECT COUNT(*) AS n FROM executions').get() as { n: number }).n).toBe(before)
    await h.settleAudits()
    expect(h.audits).toHaveLength(0)
  })

  it('unknown job → 404 with kanade’s hint', async () => {
    const e = await apiError(() => h.call('execJob', { params: { job_id: 'nope' }, body: { target: { all: true } } }))
    expect(e.status).toBe(404)
    expect(e.message).toBe("job 'nope' not found in catalog — register it first with `kanade job create <manifest.yaml>`")
  })

  it('a stored manifest with an unparsable timeout → 400 invalid timeout', async () => {
    const jobs = await h.nc.jetstream().views.kv('jobs', { bindOnly: true })
    const m: Record<string, unknown> = { ...(vec('manifest/minimal').payload as Record<string, unknown>), id: 'bad-timeout' }
    m.execute = { ...(m.execute as object), timeout: 'a while' }
    await putRaw(jobs, 'bad-timeout', JSON.stringify(m))
    const e = await apiError(() => h.call('execJob', { params: { job_id: 'bad-timeout' }, body: { target: { all: true } } }))
    expect(e.status).toBe(400)
    expect(e.message).toMatch(/^invalid timeout: /)
  })
})

describe('Q15: a publish failing part-way', () => {
  it('keeps the row (status failed, published / unpublished subjects), answers 502 and audits once', async () => {
    // Fault injection: the client refuses the second publish of this exec (as a closed
    // connection or an oversized payload would); the broker itself is real.
    const nc = h.core.nats!.nc
    const real = nc.publish.bind(nc)
    let commands = 0
    nc.publish = ((...args: Parameters<typeof nc.publish>) => {
      if (args[0].startsWith('commands.') && ++commands === 2) throw new Error('injected publish failure')
      return real(...args)
    }) as typeof nc.publish
    try {
      const e = await apiError(() =>
        h.call('execJob', { params: { job_id: 'echo-test' }, body: { target: { pcs: ['f1', 'f2', 'f3'] } } }),
      )
      expect(e.status).toBe(502)
      const detail = e.detail as { exec_id: string; published: string[]; unpublished: string[] }
      expect(detail.published).toEqual(['commands.pc.f1'])
      expect(detail.unpublished).toEqual(['commands.pc.f2', 'commands.pc.f3'])
      const row = execRow(detail.exec_id)
      expect(row).toMatchObject({ status: 'failed', published_json: '["commands.pc.f1"]', target_count: 3 })
      expect(String(row.publish_error)).toContain('injected publish failure')
      await h.settleAudits()
      expect(h.audits).toHaveLength(1)
      expect(h.audits[0].payload).toMatchObject({ status: 'failed', published: ['commands.pc.f1'] })
    } finally {
      nc.publish = real
    }
  })
})
