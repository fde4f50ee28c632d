import type { ConsoleConfig } from './config'
import type { Db } from './db/open'
import type { NatsLink } from './nats/connect'
import type { EmbeddedNats } from './nats/embedded'
import type { EventBus } from './bus'
import type { Logger } from './log'

// What the running core offers to handlers. Subsystems register their handles here as
// they start; a handle is null when the subsystem does not run (offline review, tests).

export interface Subsystem {
  stop(): Promise<void>
}

export interface CoreServices {
  config: ConsoleConfig
  db: Db
  /** null in offline review (no broker). */
  nats: NatsLink | null
  embeddedNats: EmbeddedNats | null
  bus: EventBus
  log: Logger
  /** Injected clock (ms since epoch); tests move it. */
  now(): number
  /** Offline review: the database is read-only and nothing is published. */
  readonly: boolean
  /** Per-install id; default prefix of durable consumer names. */
  installId: string
  /** Subsystems by name (projectors, control, scheduler, …), set as they start. */
  subsystems: Map<string, Subsystem>
  /** URL of the HTTP server once it listens (serve); absent or null without one (desktop). */
  httpUrl?: string | null
}

export function subsystem<T extends Subsystem>(core: CoreServices, name: string): T | null {
  return (core.subsystems.get(name) as T | undefined) ?? null
}
