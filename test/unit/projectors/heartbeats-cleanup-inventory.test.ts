// Heartbeat coalescing and change detection, the cleanup function with kanade's timestamp
// shapes, and the legacy HwInventory projector.
import { afterEach, describe, expect, it } from 'vitest'
import { applyHeartbeats } from '../../../src/main/core/projectors/heartbeats'
import { onlineWindowMs } from '../../../src/main/core/online-window'
import { expirePendingExecutions } from '../../../src/main/core/projectors/cleanup'
import { applyAll } from '../../../src/main/core/projectors/apply'
import { inventoryProjector, LEGACY_HW_JOB_ID } from '../../../src/main/core/projectors/inventory'
import { ManifestCache } from '../../../src/main/core/projectors/manifests'
import { RateMeter } from '../../../src/main/core/projectors/rate'
import type { ApplyEnv, StreamProjector } from '../../../src/main/core/projectors/types'
import { silentLogger } from '../../../src/main/core/log'
import { tempDb } from '../../helpers/db'

const enc = new TextEncoder()
let cleanup: (() => void) | null = null
afterEach(() => cleanup?.())

function setup(): ApplyEnv {
  const t = tempDb()
  cleanup = t.cleanup
  return { db: t.db, now: () => Date.parse('2026-05-20T12:00:00Z'), manifests: ManifestCache.of({}, silentLogger), log: silentLogger }
}

const T0 = Date.parse('2026-05-20T12:00:00Z')
const beat = (body: Record<string, unknown>, receivedAt = T0) => ({
  subject: `heartbeat.${body.pc_id}`,
  data: enc.encode(JSON.stringify({ at: '2026-05-20T12:00:00Z', agent_version: '0.30.0', ...body })),
  receivedAt,
})

describe('heartbeats', () => {
  it('coalesces many beats of one PC into one row with the latest values (hostname never cleared)', () => {
    const env = setup()
    const changes = applyHeartbeats(env, [
      beat({ pc_id: 'A', hostname: 'A-1', os_family: 'windows', at: '2026-05-20T11:59:00Z' }, T0 - 2000),
      beat({ pc_id: 'A', agent_version: '0.30.1', at: '2026-05-20T11:59:30+00:00' }, T0 - 1000),
      beat({ pc_id: 'B' }, T0),
    ])
    expect(env.db.prepare('SELECT pc_id, hostname, os_family, agent_version, last_heartbeat, last_seen_at FROM agents ORDER BY pc_id').all()).toEqual([
      { pc_id: 'A', hostname: 'A-1', os_family: 'windows', agent_version: '0.30.1', last_heartbeat: '2026-05-20T11:59:30.000Z', last_seen_at: '2026-05-20T11:59:59.000Z' },
      { pc_id: 'B', hostname: null, os_family: null, agent_version: '0.30.0', last_heartbeat: '2026-05-20T12:00:00.000Z', last_seen_at: '2026-05-20T12:00:00.000Z' },
    ])
    expect([...changes.agentPcIds].sort()).toEqual(['A', 'B'])
  })

  it('reports agents only when new, changed or back online — not on every beat', () => {
    const env = setup()
    applyHeartbeats(env, [beat({ pc_id: 'A', hostname: 'h' }), beat({ pc_id: 'B', hostname: 'h' })])
    const same = applyHeartbeats(env, [beat({ pc_id: 'A', hostname: 'h' }, T0 + 30_000), beat({ pc_id: 'B' }, T0 + 30_000)])
    expect([...same.agentPcIds]).toEqual([])
    const changed = applyHeartbeats(env, [beat({ pc_id: 'A', hostname: 'h2' }, T0 + 60_000), beat({ pc_id: 'B', agent_version: '0.31.0' }, T0 + 60_000)])
    expect([...changed.agentPcIds].sort()).toEqual(['A', 'B'])
    // Exactly at the window's edge it is still online (inclusive); one ms later it is back online.
    const edge = applyHeartbeats(env, [beat({ pc_id: 'B', agent_version: '0.31.0' }, T0 + 60_000 + onlineWindowMs())])
    expect([...edge.agentPcIds]).toEqual([])
    const back = applyHeartbeats(env, [beat({ pc_id: 'A', hostname: 'h2' }, T0 + 60_000 + onlineWindowMs() + 1)])
    expect([...back.agentPcIds]).toEqual(['A'])
  })

  it('dead-letters an undecodable heartbeat (stream "core", no sequence) and still writes the others', () => {
    const env = setup()
    const changes = applyHeartbeats(env, [{ subject: 'heartbeat.X', data: enc.encode('not json'), receivedAt: T0 }, beat({ pc_id: 'Y' })])
    expect(env.db.prepare('SELECT projector, stream, stream_seq, subject, deliveries FROM dead_letters').all()).toEqual([
      { projector: 'heartbeats', stream: 'core', stream_seq: null, subject: 'heartbeat.X', deliveries: 1 },
    ])
    expect(changes.deadLetters).toHaveLength(1)
    expect(env.db.prepare('SELECT pc_id FROM agents').all()).toEqual([{ pc_id: 'Y' }])
  })
})

describe('expirePendingExecutions', () => {
  it('compares by instant whatever shape initiated_at has (Q3), strictly older than one hour', () => {
    const env = setup()
    const ins = env.db.prepare("INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count) VALUES (?, 'j', '1', 'op', ?, 1)")
    ins.run('sqlite-old', '2026-05-20 10:59:59') // kanade 0.30 column default, 1 h 0 m 1 s old
    ins.run('offset-old', '2026-05-20T12:59:58+02:00') // = 10:59:58Z
    ins.run('exact', '2026-05-20T11:00:00.000Z')
    ins.run('sqlite-new', '2026-05-20 11:30:00')
    ins.run('same-day-text-trap', '2026-05-20 11:00:01') // text-compares below the cutoff, but is newer
    expect(expirePendingExecutions(env.db, T0)).toBe(2)
    const expired = env.db.prepare("SELECT exec_id FROM executions WHERE status = 'expired' ORDER BY exec_id").all()
    expect(expired).toEqual([{ exec_id: 'offset-old' }, { exec_id: 'sqlite-old' }])
  })
})

describe('legacy inventory projector', () => {
  const hw = {
    pc_id: 'pc-01', hostname: 'PC-01', os_name: 'Windows 11 Pro', os_version: '10.0.26200', os_build: '26200', cpu_model: 'Intel Core i7',
    cpu_cores: 12, ram_bytes: 68719476736, disks: [{ device_id: 'C:', size_bytes: 1e12, free_bytes: 5e11, file_system: 'NTFS' }],
    collected_at: '2026-05-16T00:00:00Z',
  }
  it('stores inventory.<pc>.hw as the PC\'s legacy-hw facts; other categories are dead-lettered', () => {
    const env = setup()
    const text = JSON.stringify(hw)
    const r = applyAll(env, inventoryProjector as StreamProjector, [
      { stream: 'INVENTORY', seq: 1, subject: 'inventory.pc-01.hw', data: enc.encode(text), deliveries: 1 },
      { stream: 'INVENTORY', seq: 2, subject: 'inventory.pc-01.sw', data: enc.encode('{"apps":[]}'), deliveries: 1 },
    ], { maxDeliver: 5 })
    expect(r.outcomes.map((o) => o.kind)).toEqual(['applied', 'dead_letter'])
    const row = env.db.prepare('SELECT pc_id, job_id, facts_json, collected_at, display_json FROM inventory_facts').get() as Record<string, string>
    expect(row).toMatchObject({ pc_id: 'pc-01', job_id: LEGACY_HW_JOB_ID, facts_json: text, collected_at: '2026-05-16T00:00:00.000Z' })
    expect(JSON.parse(row.display_json).map((d: { field: string }) => d.field)).toContain('ram_bytes')
    expect(env.db.prepare('SELECT subject FROM dead_letters').all()).toEqual([{ subject: 'inventory.pc-01.sw' }])
  })
})

describe('RateMeter', () => {
  it('averages over the window and forgets old buckets', () => {
    let now = 10_000
    const m = new RateMeter(5, () => now)
    m.add(50)
    now += 1000
    m.add(50)
    expect(m.perSecond()).toBeCloseTo(25, 0)
    now += 10_000
    expect(m.perSecond()).toBe(0)
  })
})
