import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { StringCodec } from 'nats'
import { getRaw } from '../../../src/main/core/nats/kv'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { wireVectors } from '../../unit/wire/fixtures'
import { apiError, startHarness, type Harness } from './harness'

// Jobs catalog, revoke / unrevoke and schedules against KV: stored bytes, validation (400
// naming the field), 409s, compare-and-set, exactly one audit event per change.

const sc = StringCodec()
const vec = (name: string) => wireVectors().find((v) => v.name === name)!
let nats: TestNats
let h: Harness

const kv = (bucket: string) => h.nc.jetstream().views.kv(bucket, { bindOnly: true })
const raw = async (bucket: string, key: string) => (await getRaw(await kv(bucket), key))?.value ?? null

async function audits(): Promise<string[]> {
  await h.settleAudits()
  const out = [...h.auditSubjects]
  h.audits.length = 0
  h.auditSubjects.length = 0
  return out
}

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
})
afterAll(async () => {
  await h?.close()
  await nats?.stop()
})
beforeEach(async () => {
  await audits()
})

describe('jobs catalog', () => {
  it('stores exactly the 0.30 Manifest bytes, pins script_current, audits job_upsert once', async () => {
    const minimal = { id: 'echo-test', version: '0.0.1', execute: { shell: 'powershell', script: "echo 'kanade'", timeout: '30s' } }
    const out = await h.call('upsertJob', { body: minimal })
    expect(out).toEqual({ id: 'echo-test', version: '0.0.1', description: null, inventory: false })
    expect(await raw('jobs', 'echo-test')).toBe(JSON.stringify(vec('manifest/minimal').payload))
    expect(await raw('script_current', 'echo-test')).toBe('0.0.1')
    expect(await audits()).toEqual(['audit.console.job_upsert.echo-test'])
    expect(await h.call('getJob', { params: { id: 'echo-test' } })).toEqual(vec('manifest/minimal').payload)
  })

  it('a version bump re-pins script_current on the job write itself (§9.3)', async () => {
    const m = vec('manifest/inventory-with-table').payload as Record<string, unknown>
    await h.call('upsertJob', { body: m })
    await h.call('upsertJob', { body: { ...m, version: '1.0.1' } })
    expect(await raw('script_current', 'inventory-hw')).toBe('1.0.1')
    expect(await raw('jobs', 'inventory-hw')).toBe(JSON.stringify({ ...m, version: '1.0.1' }))
    expect(await audits()).toHaveLength(2)
  })

  it('lists manifests sorted by id', async () => {
    await h.call('upsertJob', { body: vec('manifest/cleanup').payload })
    const list = await h.call<{ items: { id: string }[]; total: number }>('listJobs')
    expect(list.items.map((m) => m.id)).toEqual(['cleanup', 'echo-test', 'inventory-hw'])
    expect(list.total).toBe(3)
    await audits()
  })

  const bad: [string, unknown, RegExp][] = [
    ['unknown top-level key (pre-v0.18 target)', vec('manifest/decode-rejected-unknown-key').payload, /target/],
    ['missing execute', { id: 'x', version: '1' }, /execute/],
    ['bad shell', { id: 'x', version: '1', execute: { shell: 'bash', script: 's', timeout: '1s' } }, /shell/],
    ['bad timeout', { id: 'x', version: '1', execute: { shell: 'cmd', script: 's', timeout: 'forever' } }, /^invalid execute\.timeout/],
    ['bad id', { id: 'a b', version: '1', execute: { shell: 'cmd', script: 's', timeout: '1s' } }, /^invalid id/],
    ['blank version', { id: 'x', version: ' ', execute: { shell: 'cmd', script: 's', timeout: '1s' } }, /^invalid version/],
    [
      'bad strict max_cache_age',
      { id: 'x', version: '1', execute: { shell: 'cmd', script: 's', timeout: '1s' }, staleness: { mode: 'strict', max_cache_age: 'old' } },
      /staleness\.max_cache_age/,
    ],
  ]
  it.each(bad)('400 for %s, nothing written, no audit', async (_n, body, msg) => {
    const e = await apiError(() => h.call('upsertJob', { body }))
    expect(e.status).toBe(400)
    expect(e.message).toMatch(msg)
    expect(await raw('jobs', 'x')).toBeNull()
    expect(await audits()).toEqual([])
  })

  it('delete: 409 while a schedule references the job; otherwise REVOKED first, then deleted; one audit', async () => {
    await h.call('upsertSchedule', { body: vec('schedule/wave-rollout').payload })
    await audits()
    const e = await apiError(() => h.call('deleteJob', { params: { id: 'cleanup' } }))
    expect(e.status).toBe(409)
    expect(e.message).toBe("job 'cleanup' is referenced by schedule 'hourly-cleanup-canary'; remove the schedule first")
    expect(await raw('jobs', 'cleanup')).not.toBeNull()
    expect(await audits()).toEqual([])

    await h.call('deleteSchedule', { params: { id: 'hourly-cleanup-canary' } })
    expect(await audits()).toEqual(['audit.console.schedule_delete.hourly-cleanup-canary'])
    await h.call('deleteJob', { params: { id: 'cleanup' } })
    expect(await raw('jobs', 'cleanup')).toBeNull()
    expect(await raw('script_status', 'cleanup')).toBe('REVOKED')
    // the revoke landed before the delete in the stream order
    const status = await (await kv('script_status')).get('cleanup')
    const jobsDel = await (await h.nc.jetstreamManager()).streams.getMessage('KV_jobs', { last_by_subj: '$KV.jobs.cleanup' })
    expect(status!.revision).toBeGreaterThan(0)
    expect(jobsDel.time.getTime()).toBeGreaterThanOrEqual(status!.created.getTime())
    expect(await audits()).toEqual(['audit.console.job_delete.cleanup'])
    expect((await apiError(() => h.call('deleteJob', { params: { id: 'cleanup' } }))).status).toBe(404)
  })
})

describe('revoke / unrevoke', () => {
  it('writes the raw values, lists them, audits each', async () => {
    await h.call('revokeScript', { params: { cmd_id: 'echo-test' } })
    expect(await raw('script_status', 'echo-test')).toBe('REVOKED')
    await h.call('unrevokeScript', { params: { cmd_id: 'echo-test' } })
    expect(await raw('script_status', 'echo-test')).toBe('ACTIVE')
    expect(await h.call('scriptsStatus')).toMatchObject({ 'echo-test': 'ACTIVE' })
    expect(await audits()).toEqual(['audit.console.revoke.echo-test', 'audit.console.unrevoke.echo-test'])
    expect((await apiError(() => h.call('revokeScript', { params: { cmd_id: '.bad' } }))).status).toBe(400)
  })
})

describe('schedules', () => {
  beforeAll(async () => {
    await h.call('upsertJob', { body: vec('manifest/cleanup').payload })
  })

  it('stores the 0.30 Schedule bytes and answers kanade’s summary', async () => {
    const s = vec('schedule/wave-rollout').payload
    expect(await h.call('upsertSchedule', { body: s })).toEqual({
      id: 'hourly-cleanup-canary',
      cron: '0 0 * * * *',
      enabled: true,
      job_id: 'cleanup',
    })
    expect(await raw('schedules', 'hourly-cleanup-canary')).toBe(JSON.stringify(s))
    const [subject] = await audits()
    expect(subject).toBe('audit.console.schedule_upsert.hourly-cleanup-canary')
    const list = await h.call<{ items: unknown[] }>('listSchedules')
    expect(list.items).toEqual([s])
    const up = await h.call<{ items: { schedule_id: string; fire_at: string }[] }>('upcomingSchedules', { query: { limit: '3' } })
    expect(up.items).toHaveLength(3)
    expect(up.items.every((f) => f.schedule_id === 'hourly-cleanup-canary' && f.fire_at.endsWith(':00:00.000Z'))).toBe(true)
  })

  const base = { id: 's-bad', cron: '0 */5 * * * *', job_id: 'cleanup', target: { all: true } }
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a 5-field cron', { cron: '*/5 * * * *' }, /^invalid cron: .*5 fields/],
    ['an unparsable cron', { cron: '0 0 25 * * *' }, /^invalid cron/],
    ['a job that does not exist', { job_id: 'ghost' }, /^invalid job_id: job 'ghost' not found/],
    ['a bad cooldown', { cooldown: 'a day' }, /^invalid cooldown/],
    ['a bad starting_deadline', { starting_deadline: '10 minutes later' }, /^invalid starting_deadline/],
    ['a bad jitter', { jitter: 'x' }, /^invalid jitter/],
    ['a bad wave delay', { rollout: { waves: [{ group: 'g', delay: '?' }] } }, /^invalid rollout\.waves\[0\]\.delay/],
    ['an empty target', { target: {} }, /target must specify/],
    ['a bad mode', { mode: 'sometimes' }, /mode/],
    ['a bad id', { id: 'has space' }, /^invalid id/],
  ]
  it.each(bad)('400 for %s, nothing written, no audit', async (_n, over, msg) => {
    const e = await apiError(() => h.call('upsertSchedule', { body: { ...base, ...over } }))
    expect(e.status).toBe(400)
    expect(e.message).toMatch(msg)
    expect(await raw('schedules', 's-bad')).toBeNull()
    expect(await audits()).toEqual([])
  })

  it('disable: compare-and-set keeps other keys, cascade revokes the job; enable flips it back; one audit each', async () => {
    const schedules = await kv('schedules')
    // a value written by someone else with an extra key the console does not know
    await schedules.put('camp', sc.encode(JSON.stringify({ ...base, id: 'camp', extra: 'kept', enabled: true })))
    const rev = (await schedules.get('camp'))!.revision
    await h.call('disableSchedule', { params: { id: 'camp' }, query: { cascade: 'true' } })
    const after = await schedules.get('camp')
    expect(after!.revision).toBe(rev + 1)
    expect(JSON.parse(sc.decode(after!.value))).toEqual({ ...base, id: 'camp', extra: 'kept', enabled: false })
    expect(await raw('script_status', 'cleanup')).toBe('REVOKED')
    await h.call('enableSchedule', { params: { id: 'camp' } })
    expect(JSON.parse((await raw('schedules', 'camp'))!).enabled).toBe(true)
    expect(await audits()).toEqual(['audit.console.schedule_disable.camp', 'audit.console.schedule_enable.camp'])
    expect((await apiError(() => h.call('disableSchedule', { params: { id: 'nope' } }))).status).toBe(404)
    expect((await apiError(() => h.call('enableSchedule', { params: { id: 'nope' } }))).status).toBe(404)
  })

  it('concurrent disable and enable: both land through compare-and-set, none is lost', async () => {
    await h.call('upsertSchedule', { body: { ...base, id: 'race' } })
    await Promise.all([
      h.call('disableSchedule', { params: { id: 'race' } }),
      h.call('disableSchedule', { params: { id: 'race' } }),
    ])
    expect(JSON.parse((await raw('schedules', 'race'))!).enabled).toBe(false)
    await audits()
  })
})
