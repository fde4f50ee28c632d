import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { StringCodec } from 'nats'
import { getRaw } from '../../../src/main/core/nats/kv'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { apiError, startHarness, type Harness } from './harness'

// Config scopes, groups, effective config and agent releases against a real broker.

const sc = StringCodec()
let nats: TestNats
let h: Harness
const raw = async (bucket: string, key: string) =>
  (await getRaw(await h.nc.jetstream().views.kv(bucket, { bindOnly: true }), key))?.value ?? null

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

describe('config scopes', () => {
  it('PUT stores the scope in kanade’s field order, GET reads it, DELETE removes it; audited', async () => {
    const scope = { heartbeat_interval: '30s', target_version: '0.30.2', target_version_jitter: '30m', future: 'dropped' }
    expect(await h.call('putGlobalConfig', { body: scope })).toEqual({
      target_version: '0.30.2',
      target_version_jitter: '30m',
      heartbeat_interval: '30s',
    })
    expect(await raw('agent_config', 'global')).toBe('{"target_version":"0.30.2","target_version_jitter":"30m","heartbeat_interval":"30s"}')
    await h.call('putGroupConfig', { params: { name: 'canary' }, body: { target_version: '0.3.0', heartbeat_interval: '15s' } })
    expect(await raw('agent_config', 'groups.canary')).toBe('{"target_version":"0.3.0","heartbeat_interval":"15s"}')
    await h.call('putPcConfig', { params: { pc_id: 'MINIPC-01' }, body: {} })
    expect(await raw('agent_config', 'pcs.MINIPC-01')).toBe('{}')
    expect(await h.call('getGroupConfig', { params: { name: 'canary' } })).toEqual({ target_version: '0.3.0', heartbeat_interval: '15s' })
    expect(await h.call('getPcConfig', { params: { pc_id: 'unknown-pc' } })).toEqual({})
    await h.call('deletePcConfig', { params: { pc_id: 'MINIPC-01' } })
    expect(await raw('agent_config', 'pcs.MINIPC-01')).toBeNull()
    expect(await audits()).toEqual([
      'audit.console.config_put.global',
      'audit.console.config_put.groups.canary',
      'audit.console.config_put.pcs.MINIPC-01',
      'audit.console.config_delete.pcs.MINIPC-01',
    ])
    const list = await h.call<{ items: { key: string; type: string }[] }>('listConfigScopes')
    expect(list.items.map((r) => [r.key, r.type])).toEqual([
      ['global', 'global'],
      ['groups.canary', 'group'],
    ])
  })

  it.each([
    ['heartbeat_interval', { heartbeat_interval: 'often' }],
    ['target_version_jitter', { target_version_jitter: '5 mins-ish' }],
    ['target_version', { target_version: 3 }],
  ])('400 naming %s', async (field, body) => {
    const e = await apiError(() => h.call('putGlobalConfig', { body }))
    expect(e.status).toBe(400)
    expect(e.message).toContain(field)
    expect(await audits()).toEqual([])
  })

  it('refuses a group name that is not a subject token', async () => {
    expect((await apiError(() => h.call('putGroupConfig', { params: { name: 'a.b' }, body: {} }))).status).toBe(400)
  })
})

describe('groups and effective config', () => {
  it('PUT normalises (sorted, de-duplicated), POST adds, DELETE removes; audited when something changed', async () => {
    expect(await h.call('putAgentGroups', { params: { pc_id: 'minipc' }, body: { groups: ['wave2', 'canary', 'wave1', 'canary'] } })).toEqual({
      groups: ['canary', 'wave1', 'wave2'],
    })
    expect(await raw('agent_groups', 'minipc')).toBe('{"groups":["canary","wave1","wave2"]}')
    expect(await h.call('addAgentGroup', { params: { pc_id: 'minipc' }, body: { group: 'canary' } })).toEqual({
      groups: ['canary', 'wave1', 'wave2'],
    }) // no change: no write, no audit
    expect(await h.call('addAgentGroup', { params: { pc_id: 'minipc' }, body: { group: 'dept-eng' } })).toEqual({
      groups: ['canary', 'dept-eng', 'wave1', 'wave2'],
    })
    expect(await h.call('removeAgentGroup', { params: { pc_id: 'minipc', group: 'wave2' } })).toEqual({
      groups: ['canary', 'dept-eng', 'wave1'],
    })
    expect(await audits()).toEqual(['audit.console.groups_put.minipc', 'audit.console.groups_put.minipc', 'audit.console.groups_put.minipc'])
    const e = await apiError(() => h.call('addAgentGroup', { params: { pc_id: 'minipc' }, body: { group: '  ' } }))
    expect(e.status).toBe(400)
    expect(e.message).toMatch(/group/)
    expect(await h.call('getAgentGroups', { params: { pc_id: 'nobody' } })).toEqual({ groups: [] })
  })

  it('reads a bare-list value (Q5) and writes back the object form', async () => {
    const kv = await h.nc.jetstream().views.kv('agent_groups', { bindOnly: true })
    await kv.put('legacy-pc', sc.encode('["wave1","canary"]'))
    expect(await h.call('getAgentGroups', { params: { pc_id: 'legacy-pc' } })).toEqual({ groups: ['canary', 'wave1'] })
    await h.call('addAgentGroup', { params: { pc_id: 'legacy-pc' }, body: { group: 'x' } })
    expect(await raw('agent_groups', 'legacy-pc')).toBe('{"groups":["canary","wave1","x"]}')
    await audits()
  })

  it('concurrent adds to one PC both land (compare-and-set)', async () => {
    await Promise.all(['g1', 'g2', 'g3', 'g4'].map((g) => h.call('addAgentGroup', { params: { pc_id: 'busy-pc' }, body: { group: g } })))
    expect(await h.call('getAgentGroups', { params: { pc_id: 'busy-pc' } })).toEqual({ groups: ['g1', 'g2', 'g3', 'g4'] })
    expect(await audits()).toHaveLength(4)
  })

  it('effective config: built-in → global → groups in byte order (last wins, warning) → pc', async () => {
    await h.call('putGlobalConfig', { body: { target_version_jitter: '5m' } })
    await h.call('putGroupConfig', { params: { name: 'dept-eng' }, body: { heartbeat_interval: '15s' } })
    await h.call('putGroupConfig', { params: { name: 'wave1' }, body: { heartbeat_interval: '60s' } })
    await h.call('putAgentGroups', { params: { pc_id: 'eff-pc' }, body: { groups: ['wave1', 'dept-eng'] } })
    const out = await h.call('getEffectiveConfig', { params: { pc_id: 'eff-pc' } })
    expect(out).toEqual({
      pc_id: 'eff-pc',
      effective: { target_version: null, target_version_jitter: '5m', heartbeat_interval: '60s' },
      warnings: ['multi-group conflict on `heartbeat_interval` — set by [dept-eng, wave1]; alphabetical last wins (=> wave1)'],
    })
    await h.call('putPcConfig', { params: { pc_id: 'eff-pc' }, body: { heartbeat_interval: '10s' } })
    expect(await h.call('getEffectiveConfig', { params: { pc_id: 'eff-pc' } })).toMatchObject({ effective: { heartbeat_interval: '10s' } })
    await audits()
  })

  it('lists every group with its members and whether it has a scope', async () => {
    const list = await h.call<{ items: { name: string; member_count: number; has_config: boolean; members: string[] }[] }>('listGroups')
    const byName = Object.fromEntries(list.items.map((g) => [g.name, g]))
    expect(byName.canary).toMatchObject({ members: ['legacy-pc', 'minipc'], has_config: true })
    expect(byName['dept-eng']).toMatchObject({ members: ['eff-pc', 'minipc'], member_count: 2, has_config: true })
    expect(byName.g1).toMatchObject({ members: ['busy-pc'], has_config: false })
  })
})

describe('agent releases', () => {
  const file = (name: string, bytes = 1024) => ({ filename: name, data: new Uint8Array(bytes).fill(7) })

  it('publish takes the version from the file name or a form field; 400 when neither says it', async () => {
    const out = await h.call<{ version: string; size: number; digest: string }>('publishRelease', {
      body: { fields: {}, file: file('kanade-agent-0.30.2.exe') },
    })
    expect(out).toMatchObject({ version: '0.30.2', size: 1024 })
    expect(out.digest).toMatch(/^SHA-256=/)
    await h.call('publishRelease', { body: { fields: { version: '0.31.0' }, file: file('agent.exe', 10) } })
    const e = await apiError(() => h.call('publishRelease', { body: { fields: {}, file: file('agent.exe') } }))
    expect(e.status).toBe(400)
    expect(e.message).toMatch(/version/)
    expect((await apiError(() => h.call('publishRelease', { body: { fields: {}, file: null } }))).message).toMatch(/'file'/)
    const list = await h.call<{ items: { version: string; size: number }[] }>('listReleases')
    expect(list.items.map((r) => [r.version, r.size])).toEqual([
      ['0.31.0', 10],
      ['0.30.2', 1024],
    ])
    expect(await audits()).toEqual(['audit.console.agent_publish.0.30.2', 'audit.console.agent_publish.0.31.0'])
  })

  it('rollout sets target_version (and jitter) on the scope, keeping its other fields; 404 for an unknown version', async () => {
    await h.call('putGroupConfig', { params: { name: 'ring1' }, body: { heartbeat_interval: '20s' } })
    await audits()
    expect(await h.call('rolloutRelease', { body: { version: '0.30.2', scope: { type: 'group', value: 'ring1' }, jitter: '30m' } })).toEqual({
      version: '0.30.2',
      scope_key: 'groups.ring1',
      scope_label: 'group ring1',
      jitter: '30m',
    })
    expect(await raw('agent_config', 'groups.ring1')).toBe('{"target_version":"0.30.2","target_version_jitter":"30m","heartbeat_interval":"20s"}')
    await h.call('rolloutRelease', { body: { version: '0.31.0', scope: { type: 'pc', value: 'new-pc' } } })
    expect(await raw('agent_config', 'pcs.new-pc')).toBe('{"target_version":"0.31.0"}')
    expect(await audits()).toEqual(['audit.console.agent_rollout.0.30.2', 'audit.console.agent_rollout.0.31.0'])
    const e = await apiError(() => h.call('rolloutRelease', { body: { version: '9.9.9', scope: { type: 'global' } } }))
    expect(e.status).toBe(404)
    expect((await apiError(() => h.call('rolloutRelease', { body: { version: '0.30.2', scope: { type: 'global' }, jitter: 'x' } }))).status).toBe(400)
  })

  it('delete: 409 while a scope targets the version, then 204 once nothing does', async () => {
    const e = await apiError(() => h.call('deleteRelease', { params: { version: '0.30.2' } }))
    expect(e.status).toBe(409)
    expect(e.message).toContain("'groups.ring1'")
    await h.call('rolloutRelease', { body: { version: '0.31.0', scope: { type: 'group', value: 'ring1' } } })
    await h.call('deleteRelease', { params: { version: '0.30.2' } })
    const list = await h.call<{ items: { version: string }[] }>('listReleases')
    expect(list.items.map((r) => r.version)).toEqual(['0.31.0'])
    expect((await apiError(() => h.call('deleteRelease', { params: { version: '0.30.2' } }))).status).toBe(404)
    expect(await audits()).toEqual(['audit.console.agent_rollout.0.31.0', 'audit.console.agent_release_delete.0.30.2'])
  })
})
