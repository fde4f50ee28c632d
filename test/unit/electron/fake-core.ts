import { EventBus } from '../../../src/main/core/bus'
import { loadConfig, type ConsoleConfig } from '../../../src/main/core/config'
import type { RunningConsole } from '../../../src/main/core/console'
import { silentLogger } from '../../../src/main/core/log'
import type { NatsLink } from '../../../src/main/core/nats/connect'
import type { CoreServices } from '../../../src/main/core/services'
import { tempDb } from '../../helpers/db'

// A core for the desktop-shell tests: a real migrated SQLite file and a real event bus;
// the NATS link is a stand-in carrying only its status (no broker in unit tests).

export interface FakeCore {
  running: RunningConsole
  core: CoreServices
  stopCalls: () => number
  cleanup(): void
}

export function fakeCore(config: ConsoleConfig, opts: { readonly?: boolean; now?: () => number; onStop?: () => void } = {}): FakeCore {
  const t = tempDb()
  const readonly = opts.readonly ?? config.reviewDb !== null
  const nats = readonly
    ? null
    : ({
        status: { state: 'connected', server: 'nats://127.0.0.1:4222', since: '2026-05-20T12:00:00.000Z', lastError: null, reconnects: 0 },
      } as unknown as NatsLink)
  const core: CoreServices = {
    config,
    db: t.db,
    nats,
    embeddedNats: null,
    bus: new EventBus(),
    log: silentLogger,
    now: opts.now ?? Date.now,
    readonly,
    installId: 'kctest',
    subsystems: new Map(),
  }
  let stops = 0
  const running: RunningConsole = {
    core,
    http: null,
    url: null,
    async stop() {
      stops++
      opts.onStop?.()
    },
  }
  return { running, core, stopCalls: () => stops, cleanup: t.cleanup }
}

export function testConfig(dataDir: string, flags: Record<string, string> = {}): ConsoleConfig {
  return loadConfig({ 'data-dir': dataDir, ...flags }, {})
}
