import { join } from 'node:path'
import { EventBus } from './bus'
import { isLoopback, type ConsoleConfig } from './config'
import { closeDatabase, openDatabase } from './db/open'
import { migrate } from './db/migrate'
import { installId as readInstallId } from './install-id'
import { createLogger, type Logger } from './log'
import { bootstrapJetStream } from './nats/bootstrap'
import { NatsLink } from './nats/connect'
import { startEmbeddedNats } from './nats/embedded'
import { startHttpServer, type HttpServerHandle } from './http/server'
import type { CoreServices, Subsystem } from './services'

// Composition root: starts the core in order and stops it in reverse.
// config → db → nats (embedded or external) → bootstrap → subsystems → HTTP.

export interface StartOptions {
  log?: Logger
  /** Start the HTTP server (default true). */
  http?: boolean
  /** Injected clock for tests. */
  now?: () => number
  /** Subsystems to start after the broker is ready, in order (projectors, control, scheduler…). */
  subsystems?: SubsystemFactory[]
}

export type SubsystemFactory = { name: string; start(core: CoreServices): Promise<Subsystem> }

export interface RunningConsole {
  core: CoreServices
  http: HttpServerHandle | null
  /** URL of the HTTP server, when started. */
  url: string | null
  stop(): Promise<void>
}

export async function startConsole(config: ConsoleConfig, opts: StartOptions = {}): Promise<RunningConsole> {
  const log = opts.log ?? createLogger(config.logLevel)
  const stack: { name: string; stop: () => Promise<void> }[] = []
  const stopAll = async () => {
    while (stack.length) {
      const s = stack.pop()!
      try {
        await s.stop()
      } catch (e) {
        log.warn(`stopping ${s.name} failed`, e)
      }
    }
  }

  try {
    const readonly = config.reviewDb !== null
    if (!readonly && !isLoopback(config.bindHost) && config.auth.disabled) {
      throw new Error(
        `refusing to bind ${config.bindHost}:${config.bindPort} with authentication disabled; ` +
          `bind 127.0.0.1 or enable auth (KANADE_AUTH_STATIC_TOKEN / KANADE_JWT_SECRET)`,
      )
    }
    const db = openDatabase(config.dbPath, { readonly })
    stack.push({ name: 'database', stop: async () => closeDatabase(db) })
    if (!readonly) migrate(db)

    const core: CoreServices = {
      config,
      db,
      nats: null,
      embeddedNats: null,
      bus: new EventBus(),
      log,
      now: opts.now ?? Date.now,
      readonly,
      installId: readInstallId(db),
      subsystems: new Map(),
    }

    if (!readonly) {
      let servers = config.natsUrls
      if (!servers) {
        const embedded = await startEmbeddedNats({
          storeDir: join(config.dataDir, 'nats'),
          bin: config.natsServerBin,
          log: (l) => log.debug(`nats-server: ${l}`),
        })
        core.embeddedNats = embedded
        stack.push({ name: 'embedded nats-server', stop: () => embedded.stop() })
        servers = [embedded.url]
        log.info(`embedded nats-server listening on ${embedded.url}`)
      }
      const link = await NatsLink.open({ servers, token: config.natsToken, credsFile: config.natsCredsFile })
      core.nats = link
      stack.push({ name: 'nats connection', stop: () => link.close() })
      link.on('status', (s) => core.bus.emit('connection.state', s))
      const report = await bootstrapJetStream(link.nc, config.replicas)
      log.info(
        `jetstream ready: ${report.created.length} created, ${report.updated.length} updated, ` +
          `${report.unchanged.length} unchanged`,
      )
    }

    for (const f of opts.subsystems ?? []) {
      const s = await f.start(core)
      core.subsystems.set(f.name, s)
      stack.push({ name: f.name, stop: () => s.stop() })
    }

    let http: HttpServerHandle | null = null
    if (opts.http !== false) {
      http = await startHttpServer(core)
      core.httpUrl = http.url
      const h = http
      stack.push({ name: 'http server', stop: () => h.close() })
    }

    return { core, http, url: http?.url ?? null, stop: stopAll }
  } catch (e) {
    await stopAll()
    throw e
  }
}
