import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../src/main/core/config'
import { onlineAgents } from '../../../src/main/core/control/targets'
import { DEFAULT_ONLINE_WINDOW_MS, ONLINE_WINDOW_ENV, onlineWindowMs, parseOnlineWindow } from '../../../src/main/core/online-window'
import { getAgent, listAgents } from '../../../src/main/core/queries/agents'
import { agentLiveness } from '../../../src/main/core/queries/health'
import { readFleetStatus } from '../../../src/main/electron/fleet-status'
import { offlineNotice } from '../../../src/main/electron/notifications'
import { insertAgent, iso, makeCore, NOW } from '../http/helpers'

// The 2-minute rule has one definition (online-window.ts); KANADE_ONLINE_WINDOW_SECS (tests and
// development only) changes it for every place that judges liveness.

afterEach(() => {
  delete process.env[ONLINE_WINDOW_ENV]
})

describe('online window', () => {
  it('is 2 minutes unless the development variable says otherwise', () => {
    expect(DEFAULT_ONLINE_WINDOW_MS).toBe(120_000)
    expect(onlineWindowMs({})).toBe(120_000)
    expect(onlineWindowMs({ [ONLINE_WINDOW_ENV]: '' })).toBe(120_000)
    expect(onlineWindowMs({ [ONLINE_WINDOW_ENV]: '15' })).toBe(15_000)
    expect(parseOnlineWindow(' 3 ')).toBe(3_000)
  })

  it('refuses a bad value at start, naming the variable', () => {
    for (const bad of ['0', '-5', '1.5', 'two', '86401']) {
      expect(() => parseOnlineWindow(bad)).toThrow(ONLINE_WINDOW_ENV)
      expect(() => loadConfig({}, { [ONLINE_WINDOW_ENV]: bad })).toThrow(ConfigError)
    }
    expect(() => loadConfig({}, { [ONLINE_WINDOW_ENV]: '20' })).not.toThrow()
  })

  it('every liveness judgement follows it: roster, health, exec targets, tray, notification text', () => {
    const { core, cleanup } = makeCore()
    try {
      insertAgent(core.db, { pc_id: 'fresh', last_seen_at: iso(-4_000) })
      insertAgent(core.db, { pc_id: 'minute', last_seen_at: iso(-60_000) })
      const judge = () => ({
        roster: listAgents(core.db, { sort: 'pc_id', offset: 0 }, NOW).items.filter((a) => a.online).map((a) => a.pc_id),
        one: getAgent(core.db, 'minute', NOW)!.online,
        health: agentLiveness(core.db, NOW).active,
        targets: onlineAgents(core.db, NOW),
        tray: [...readFleetStatus(core.db, NOW).onlineIds].sort(),
      })
      expect(judge()).toEqual({ roster: ['fresh', 'minute'], one: true, health: 2, targets: ['fresh', 'minute'], tray: ['fresh', 'minute'] })
      expect(offlineNotice(['x']).body).toBe('No heartbeat for 2 minutes.')
      process.env[ONLINE_WINDOW_ENV] = '5'
      expect(judge()).toEqual({ roster: ['fresh'], one: false, health: 1, targets: ['fresh'], tray: ['fresh'] })
      expect(offlineNotice(['x']).body).toBe('No heartbeat for 5 seconds.')
    } finally {
      cleanup()
    }
  })
})
