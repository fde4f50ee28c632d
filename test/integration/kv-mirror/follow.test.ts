import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KV } from '../../../src/shared/nats-names'
import { startKvMirror, KV_MIRROR, type KvMirror } from '../../../src/main/core/kv-mirror'
import { applyChanges, mirroredAt, readMirror, MIRRORED_BUCKETS } from '../../../src/main/core/kv-mirror/store'
import { openKv, putRaw } from '../../../src/main/core/nats/kv'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { apiError, startHarness, type Harness } from '../control/harness'

// The kv-mirror subsystem against a real nats-server: the initial copy (deletes and purges
// included), live puts/deletes/purges, a large bucket in one pass, a full copy again after a
// broker restart, and the read routes served from the copy while the broker is down.

let nats: TestNats
let h: Harness
let mirror: KvMirror
const events: { name: string; ids: string[] }[] = []

const values = (bucket: string) => Object.fromEntries([...readMirror(h.core.db, bucket)].map(([k, v]) => [k, v.value]))

async function waitFor(what: string, f: () => boolean, ms = 15_000): Promise<void> {
  const start = Date.now()
  while (!f()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
  // Written before the console starts: the initial pass must see the latest state only.
  const jobs = await openKv(h.nc, KV.jobs)
  await putRaw(jobs, 'a', '{"v":1}')
  await putRaw(jobs, 'a', '{"v":2}')
  await putRaw(jobs, 'b', '{"v":1}')
  await jobs.delete('b')
  await putRaw(jobs, 'c', '{"v":1}')
  await jobs.purge('c')
  await putRaw(await openKv(h.nc, KV.agentsState), 'pc-a', '{}')
  h.core.bus.subscribe((e) => {
    if (e.type === 'jobs.changed' || e.type === 'schedules.changed') events.push({ name: e.type, ids: (e.data as { ids: string[] }).ids })
  })
  mirror = await startKvMirror(h.core, { flushMs: 10, retryMs: 100, maxRetryMs: 1000 })
  h.core.subsystems.set(KV_MIRROR, mirror)
})
afterAll(async () => {
  await h?.close()
  await nats?.stop()
})

describe('kv mirror', () => {
  it('start copies every dashboard bucket whole: latest values, deleted and purged keys absent', () => {
    for (const b of MIRRORED_BUCKETS) {
      expect(mirror.synced(b), b).toBe(true)
      expect(mirroredAt(h.core.db, b), b).not.toBeNull()
    }
    expect(values(KV.jobs)).toEqual({ a: '{"v":2}' })
    expect(mirroredAt(h.core.db, KV.agentsState)).toBeNull() // agent-owned state is not mirrored
    const row = h.core.db.prepare("SELECT revision, updated_at FROM kv_mirror WHERE bucket = 'jobs' AND key = 'a'").get() as {
      revision: number
      updated_at: string
    }
    expect(row.revision).toBe(2)
    expect(row.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('follows puts, deletes and purges live, and tells open pages', async () => {
    const status = await openKv(h.nc, KV.scriptStatus)
    const schedules = await openKv(h.nc, KV.schedules)
    const jobs = await openKv(h.nc, KV.jobs)
    await putRaw(status, 'echo', 'REVOKED')
    await putRaw(status, 'other', 'ACTIVE')
    await putRaw(schedules, 'nightly', '{"id":"nightly"}')
    await putRaw(jobs, 'd', '{"v":1}')
    await waitFor('puts', () => values(KV.scriptStatus).other === 'ACTIVE' && 'nightly' in values(KV.schedules) && 'd' in values(KV.jobs))
    expect(values(KV.scriptStatus)).toEqual({ echo: 'REVOKED', other: 'ACTIVE' })

    await putRaw(status, 'echo', 'ACTIVE')
    await status.delete('other')
    await schedules.purge('nightly')
    await jobs.delete('a')
    await waitFor('deletes', () => !('other' in values(KV.scriptStatus)) && !('nightly' in values(KV.schedules)) && !('a' in values(KV.jobs)))
    expect(values(KV.scriptStatus)).toEqual({ echo: 'ACTIVE' })
    expect(values(KV.jobs)).toEqual({ d: '{"v":1}' })
    expect(events.some((e) => e.name === 'schedules.changed' && e.ids.includes('nightly'))).toBe(true)
    expect(events.some((e) => e.name === 'jobs.changed' && e.ids.includes('echo'))).toBe(true)
  })

  it('a large bucket is copied in one pass, with changes racing the copy', async () => {
    const groups = await openKv(h.nc, KV.agentGroups)
    const enc = new TextEncoder()
    for (let i = 0; i < 2000; i += 200) {
      await Promise.all(Array.from({ length: 200 }, (_, j) => groups.put(`pc-${i + j}`, enc.encode(`{"groups":["g${(i + j) % 7}"]}`))))
    }
    const copying = mirror.resync()
    await putRaw(groups, 'pc-5', '{"groups":["late"]}')
    await groups.delete('pc-6')
    await copying
    await waitFor('the racing changes', () => values(KV.agentGroups)['pc-5'] === '{"groups":["late"]}' && !('pc-6' in values(KV.agentGroups)))
    const copy = values(KV.agentGroups)
    expect(Object.keys(copy)).toHaveLength(1999)
    expect(copy['pc-1999']).toBe('{"groups":["g4"]}')
  })

  it('after a broker restart the buckets are copied again and followed', async () => {
    // A row the broker never had: only a full copy after the reconnect removes it.
    applyChanges(h.core.db, KV.jobs, [{ op: 'put', key: 'ghost', value: '{}', revision: 1_000_000, updatedAt: '2026-01-01T00:00:00.000Z' }])
    const link = h.core.nats!
    await nats.server.stop()
    await waitFor('the disconnect', () => !link.connected)
    await nats.restart()
    const nc = await nats.client()
    await putRaw(await openKv(nc, KV.jobs), 'during', '{"v":1}') // likely before the console reconnects
    await waitFor('the reconnect', () => link.connected)
    await waitFor('the fresh copy', () => !('ghost' in values(KV.jobs)) && 'during' in values(KV.jobs))
    await waitFor('every bucket copied again', () => MIRRORED_BUCKETS.every((b) => mirror.synced(b)))
    await putRaw(await openKv(nc, KV.jobs), 'after', '{"v":1}')
    await openKv(nc, KV.jobs).then((kv) => kv.delete('d'))
    await waitFor('changes after the restart', () => 'after' in values(KV.jobs) && !('d' in values(KV.jobs)))
    expect(Object.keys(values(KV.jobs)).sort()).toEqual(['after', 'during'])
  })

  it('while the broker is down, the read routes answer from the copy; without the mirror they answer 503', async () => {
    const nc = await nats.client()
    await putRaw(await openKv(nc, KV.scriptStatus), 'echo', 'REVOKED')
    await waitFor('the revoke', () => values(KV.scriptStatus).echo === 'REVOKED')
    const link = h.core.nats!
    await nats.server.stop()
    await waitFor('the disconnect', () => !link.connected)
    try {
      expect(await h.call('scriptsStatus')).toEqual({ echo: 'REVOKED' })
      expect(await h.call('getAgentGroups', { params: { pc_id: 'pc-5' } })).toEqual({ groups: ['late'] })
      h.core.subsystems.delete(KV_MIRROR)
      const e = await apiError(() => h.call('scriptsStatus'))
      expect(e.code).toBe('nats_unavailable')
      expect(e.message).toMatch(/not connected to NATS/)
      // The control plane never reads the copy.
      expect((await apiError(() => h.call('revokeScript', { params: { cmd_id: 'echo' } }))).code).toBe('nats_unavailable')
    } finally {
      h.core.subsystems.set(KV_MIRROR, mirror)
      await nats.restart()
      await waitFor('the reconnect', () => link.connected)
    }
  })
})
