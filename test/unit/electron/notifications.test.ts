import { afterAll, describe, expect, it } from 'vitest'
import { FleetMonitor } from '../../../src/main/electron/fleet-monitor'
import { readFleetStatus } from '../../../src/main/electron/fleet-status'
import { NotificationPolicy, offlineNotice, type Notice } from '../../../src/main/electron/notifications'
import { DEFAULT_SETTINGS, type NotificationSettings } from '../../../src/main/electron/settings'
import { tempDb } from '../../helpers/db'

function policy(settings: NotificationSettings = DEFAULT_SETTINGS.notifications, windowMs = 20) {
  const shown: Notice[] = []
  const p = new NotificationPolicy({ settings: () => settings, show: (n) => shown.push(n), deadLetterWindowMs: windowMs })
  return { p, shown }
}

const progress = { exec_id: 'e1', job_id: 'inventory', status: 'completed', target_count: 3, success_count: 3, failure_count: 0 }

describe('notification policy', () => {
  it('announces each finished execution once; running ones not at all', () => {
    const { p, shown } = policy()
    p.onEvent({ type: 'execution.progress', data: { ...progress, status: 'running' } })
    p.onEvent({ type: 'execution.progress', data: progress })
    p.onEvent({ type: 'execution.progress', data: progress })
    p.onEvent({ type: 'execution.progress', data: { ...progress, exec_id: 'e2', status: 'expired', success_count: 1 } })
    expect(shown.map((n) => n.title)).toEqual(['Execution finished', 'Execution expired'])
    expect(shown[1].body).toBe('inventory: 1 succeeded, 0 failed of 3 (e2)')
  })

  it('summarises a burst of dead letters in one notice', async () => {
    const { p, shown } = policy()
    for (const projector of ['results', 'results', 'heartbeats']) {
      p.onEvent({ type: 'dead_letter.added', data: { projector, subject: 'results.PC-1', error: 'bad json' } })
    }
    expect(shown).toEqual([])
    await new Promise((r) => setTimeout(r, 40))
    expect(shown).toEqual([{ kind: 'dead_letter', title: '3 messages went to the dead letters', body: 'projectors: heartbeats, results' }])
    p.onEvent({ type: 'dead_letter.added', data: { projector: 'audit', subject: 'audit.x.y', error: 'no actor' } })
    p.flushDeadLetters()
    expect(shown[1].body).toBe('audit: audit.x.y: no actor')
  })

  it('respects the settings', async () => {
    const { p, shown } = policy({ executionFinished: false, agentOffline: false, deadLetter: false })
    p.onEvent({ type: 'execution.progress', data: progress })
    p.onEvent({ type: 'dead_letter.added', data: { projector: 'a', subject: 's', error: 'e' } })
    p.onWentOffline(['PC-1'])
    await new Promise((r) => setTimeout(r, 40))
    expect(shown).toEqual([])
  })

  it("announces the core's agents.offline event, as configured", () => {
    const { p, shown } = policy()
    p.onEvent({ type: 'agents.offline', data: { pc_ids: ['PC-7'] } })
    p.onEvent({ type: 'agents.changed', data: { pc_ids: ['PC-7'] } })
    expect(shown).toEqual([{ kind: 'agent_offline', title: 'PC-7 went offline', body: 'No heartbeat for 2 minutes.' }])
    const off = policy({ ...DEFAULT_SETTINGS.notifications, agentOffline: false })
    off.p.onEvent({ type: 'agents.offline', data: { pc_ids: ['PC-7'] } })
    expect(off.shown).toEqual([])
  })

  it('words offline notices for one or many agents', () => {
    expect(offlineNotice(['PC-1']).title).toBe('PC-1 went offline')
    const many = offlineNotice(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
    expect(many).toMatchObject({ title: '7 agents went offline', body: 'a, b, c, d, e and 2 more' })
  })
})

describe('fleet status and the offline monitor', () => {
  const t = tempDb()
  afterAll(() => t.cleanup())
  const now = Date.parse('2026-05-20T12:00:00.000Z')
  const ins = t.db.prepare('INSERT INTO agents (pc_id, last_heartbeat, last_seen_at) VALUES (?, ?, ?)')
  ins.run('PC-1', null, '2026-05-20T11:59:30.000Z')
  ins.run('PC-2', null, '2026-05-20T11:58:00.000Z') // exactly 2 minutes: still online
  ins.run('PC-3', null, '2026-05-20T11:57:59.999Z')
  ins.run('PC-4', '2026-05-20 11:59:00', null) // imported from kanade-backend: SQLite's timestamp form
  ins.run('PC-5', null, null)

  it('counts online by the 2-minute rule on the console’s receive time', () => {
    const s = readFleetStatus(t.db, now)
    expect([...s.onlineIds].sort()).toEqual(['PC-1', 'PC-2', 'PC-4'])
    expect(s).toMatchObject({ online: 3, offline: 2 })
  })

  it('reads the counts at start and after a burst of agents.changed, once, without polling', async () => {
    let clock = now
    let reads = 0
    const counts: number[] = []
    const m = new FleetMonitor({ read: () => (reads++, readFleetStatus(t.db, clock)), onStatus: (s) => counts.push(s.online), debounceMs: 20 })
    m.start()
    clock = now + 61_000
    m.refreshSoon()
    m.refreshSoon()
    await new Promise((r) => setTimeout(r, 80))
    clock = now + 91_000
    await new Promise((r) => setTimeout(r, 80))
    expect(counts).toEqual([3, 1])
    expect(reads).toBe(2)
    m.refreshSoon()
    await new Promise((r) => setTimeout(r, 60))
    m.stop()
    expect(counts).toEqual([3, 1, 0])
  })
})
