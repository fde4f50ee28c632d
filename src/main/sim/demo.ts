import { resolve } from 'node:path'
import { ConfigError, loadConfig, parseFlags, type ConsoleConfig, type Flags } from '../core/config'
import { startConsole, type RunningConsole } from '../core/console'
import { createLogger, type Logger } from '../core/log'
import { defaultSubsystems } from '../core/subsystems'
import type { CoreServices } from '../core/services'
import { fireDemoExecs, seedDemoCatalog } from './demo-catalog'
import { SimUsageError, fleetOptionsFromFlags } from './cli'
import { startFleet, type Fleet } from './fleet'

// `kanade-console demo` (`npm run demo`): the quick start. The console on an embedded
// nats-server in ./.kanade-data/demo, 25 simulated agents in canary / wave1 / wave2 on the
// same broker, a sample catalog and a few execs, then the URL and the token.

export const DEMO_GROUPS = ['canary', 'wave1', 'wave2']

export interface DemoHandle {
  console: RunningConsole
  fleet: Fleet
  url: string | null
  token: string | null
  stop(): Promise<void>
}

export interface DemoOptions {
  /** serve's flags (--data-dir, --bind, --nats-url…) plus sim's (--agents, --seed, --heartbeat…). */
  flags?: Flags
  log?: Logger
  /** Seed the sample catalog and fire the sample execs (default true). */
  seed?: boolean
}

/** Start the demo and return once the agents are known and the sample execs are out. */
export async function startDemo(opts: DemoOptions = {}): Promise<DemoHandle> {
  const flags: Flags = { ...(opts.flags ?? {}) }
  if (flags['data-dir'] === undefined && !process.env.KANADE_DATA_DIR) flags['data-dir'] = resolve('.kanade-data', 'demo')
  const config = loadConfig(flags)
  const log = opts.log ?? createLogger(config.logLevel)
  const running = await startOnFreePort(config, flags, log)
  let fleet: Fleet | null = null
  try {
    const core = running.core
    const natsUrl = core.embeddedNats?.url ?? config.natsUrls ?? []
    const simFlags: Flags = { ...flags, groups: flags.groups ?? DEMO_GROUPS.join(',') }
    delete simFlags.nats
    const fleetOpts = fleetOptionsFromFlags(simFlags, {})
    fleet = await startFleet({ ...fleetOpts, natsUrl, token: config.natsToken, log: (l) => log.debug(`sim: ${l}`) })
    if (opts.seed !== false) {
      await seedDemoCatalog(core)
      await waitForAgents(core, fleet.agents.length, 5_000)
      const execs = await fireDemoExecs(core)
      for (const e of execs) log.info(`demo exec ${e.job_id} → ${e.subjects.join(', ')} (${e.target_count} PCs)`)
    }
  } catch (e) {
    await fleet?.stop()
    await running.stop()
    throw e
  }
  const f = fleet
  return {
    console: running,
    fleet: f,
    url: running.url,
    token: running.http?.auth.disabled ? null : (running.http?.auth.staticToken ?? null),
    stop: async () => {
      await f.stop()
      await running.stop()
    },
  }
}

/** serve's default port, or any free one when the user did not choose and it is taken. */
async function startOnFreePort(config: ConsoleConfig, flags: Flags, log: Logger): Promise<RunningConsole> {
  const start = (c: ConsoleConfig) => startConsole(c, { log, subsystems: defaultSubsystems(c) })
  try {
    return await start(config)
  } catch (e) {
    const chosen = flags.bind !== undefined || process.env.KANADE_BIND_ADDR !== undefined
    const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE/.test(String((e as Error).message))
    if (chosen || !inUse) throw e
    log.warn(`${config.bindHost}:${config.bindPort} is in use; the demo takes a free port instead`)
    return start({ ...config, bindPort: 0 })
  }
}

/** `target.all` counts the agents the console knows at exec time: wait for their beats. */
async function waitForAgents(core: CoreServices, count: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  const known = core.db.prepare('SELECT COUNT(*) AS n FROM agents')
  while (Date.now() < until) {
    if ((known.get() as { n: number }).n >= count) return
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function runDemo(argv: string[]): Promise<void> {
  const { flags } = parseFlags(argv)
  let demo: DemoHandle
  try {
    demo = await startDemo({ flags })
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SimUsageError) {
      console.error(`kanade-console demo: ${e.message}`)
      process.exit(2)
    }
    throw e
  }
  const counts = new Map<string, number>()
  for (const a of demo.fleet.agents) for (const g of a.groups) counts.set(g, (counts.get(g) ?? 0) + 1)
  const groups = [...counts].map(([g, n]) => `${g} ${n}`).join(', ')
  const core = demo.console.core
  console.log(
    [
      '',
      'kanade-console demo is running',
      `  dashboard   ${demo.url}`,
      `  api token   ${demo.token ?? '(auth disabled)'}`,
      `  agents      ${demo.fleet.agents.length} simulated kanade 0.30 agents (${groups})`,
      `  broker      ${core.embeddedNats?.url ?? core.config.natsUrls?.join(',')}${core.embeddedNats ? ' (embedded)' : ''}`,
      `  data        ${core.config.dataDir}`,
      `  try         curl -H "Authorization: Bearer ${demo.token ?? ''}" ${demo.url}/api/agents`,
      '',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  )
  let stopping = false
  const shutdown = () => {
    if (stopping) return
    stopping = true
    demo
      .stop()
      .then(() => process.exit(0))
      .catch((e) => {
        console.error(`kanade-console demo: stop failed: ${(e as Error).message}`)
        process.exit(1)
      })
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}
