import { parseFlags, type Flags } from '../core/config'
import { parseHumantime } from '../../shared/wire'
import { startFleet, type Fleet, type FleetOptions } from './fleet'

// `kanade-console sim`: N simulated kanade 0.30 agents against any broker.

export const SIM_USAGE = `usage: kanade-console sim [options]
  --agents N            number of agents (default 25)
  --nats URL[,URL]      broker (default $KANADE_NATS_URL or nats://127.0.0.1:4222)
  --nats-token TOKEN    broker token (default $KANADE_NATS_TOKEN)
  --groups a,b,c        write agent_groups: 10% to the first group, the rest evenly
  --heartbeat 30s       heartbeat interval (agent_config's heartbeat_interval wins)
  --seed 1              seed for names, profiles, jitter and failures
  --fail-rate 0.03      fraction of agents whose runs sometimes fail
  --slow-rate 0.05      fraction of agents that run slowly
  --flap-rate 0.02      fraction of agents that go offline and come back
  --prefix PC-          name agents PC-0001… (default office-style names)
  --exec-ms 150,900     process start-up time range per run, in ms
  --replay-on-boot      run EXEC's retained commands at start (new replay durables)
  --max-in-flight 256   JetStream publishes awaiting their PubAck at once (whole fleet)
  --stats 30s           print a status line this often (0 = never)`

export class SimUsageError extends Error {}

function num(flags: Flags, name: string, fallback: number, check: (n: number) => boolean, what: string): number {
  const v = flags[name]
  if (v === undefined) return fallback
  const n = Number(v)
  if (v === true || !Number.isFinite(n) || !check(n)) throw new SimUsageError(`--${name} must be ${what} (got "${String(v)}")`)
  return n
}

function duration(flags: Flags, name: string, fallback: number): number {
  const v = flags[name]
  if (v === undefined) return fallback
  try {
    if (typeof v !== 'string') throw new Error('missing value')
    return /^\d+$/.test(v) ? Number(v) * 1000 : parseHumantime(v)
  } catch (e) {
    throw new SimUsageError(`--${name} must be a duration such as 30s or 2m (${(e as Error).message})`)
  }
}

/** Fleet options from sim flags (also used by `demo` for its own fleet). */
export function fleetOptionsFromFlags(flags: Flags, env: NodeJS.ProcessEnv = process.env): FleetOptions {
  const rate = (name: string, fallback: number) => num(flags, name, fallback, (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1')
  const raw = flags.nats ?? flags['nats-url'] ?? env.KANADE_NATS_URL ?? 'nats://127.0.0.1:4222'
  if (typeof raw !== 'string') throw new SimUsageError('--nats needs a URL')
  const url = raw
  const groups = typeof flags.groups === 'string' ? flags.groups.split(',').map((g) => g.trim()).filter(Boolean) : undefined
  for (const g of groups ?? []) if (!/^[A-Za-z0-9_-]+$/.test(g)) throw new SimUsageError(`group "${g}" may use only letters, digits, _ and -`)
  let execTimeMs: [number, number] | undefined
  if (typeof flags['exec-ms'] === 'string') {
    const [lo, hi = lo] = flags['exec-ms'].split(',').map(Number)
    if (!(lo >= 0 && hi >= lo)) throw new SimUsageError('--exec-ms must be MIN,MAX in milliseconds (e.g. 150,900)')
    execTimeMs = [lo, hi]
  }
  const token = flags['nats-token'] ?? env.KANADE_NATS_TOKEN
  return {
    natsUrl: url.split(',').map((s) => s.trim()),
    token: typeof token === 'string' ? token : null,
    agents: num(flags, 'agents', 25, (n) => Number.isInteger(n) && n >= 1 && n <= 100_000, 'a whole number from 1 to 100000'),
    groups,
    heartbeatMs: duration(flags, 'heartbeat', 30_000),
    seed: num(flags, 'seed', 1, Number.isInteger, 'a whole number'),
    failRate: rate('fail-rate', 0.03),
    slowRate: rate('slow-rate', 0.05),
    flapRate: rate('flap-rate', 0.02),
    namePrefix: typeof flags.prefix === 'string' ? flags.prefix : undefined,
    execTimeMs,
    replayOnBoot: flags['replay-on-boot'] === true,
    maxInFlight: num(flags, 'max-in-flight', 256, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
  }
}

export function statusLine(fleet: Fleet): string {
  const s = fleet.stats()
  return (
    `agents ${s.online}/${s.agents} online · commands ${s.commands} · runs ${s.started} started, ${s.finished} finished ` +
    `(${s.killed} killed, ${s.timedOut} timed out) · skips: pin ${s.pinSkips}, revoked ${s.revokeSkips}, deadline ${s.deadlineSkips} · ` +
    `results ${s.results}, events ${s.events}, outbox ${s.outboxPending}`
  )
}

export async function runSim(argv: string[]): Promise<void> {
  const { flags } = parseFlags(argv)
  if (flags.help) {
    console.log(SIM_USAGE)
    return
  }
  let opts: FleetOptions
  try {
    opts = fleetOptionsFromFlags(flags)
  } catch (e) {
    if (e instanceof SimUsageError) {
      console.error(`kanade-console sim: ${e.message}\n\n${SIM_USAGE}`)
      process.exit(2)
    }
    throw e
  }
  const statsMs = duration(flags, 'stats', 30_000)
  const fleet = await startFleet({ ...opts, log: (l) => console.log(`sim: ${l}`) })
  const groups = opts.groups?.length ? ` in groups ${opts.groups.join(', ')}` : ''
  console.log(`sim ready: ${fleet.agents.length} agents on ${[opts.natsUrl].flat().join(',')}${groups} (seed ${opts.seed})`)
  const timer = statsMs > 0 ? setInterval(() => console.log(`sim: ${statusLine(fleet)}`), statsMs) : null

  let stopping = false
  const shutdown = () => {
    if (stopping) return
    stopping = true
    if (timer) clearInterval(timer)
    fleet
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}
