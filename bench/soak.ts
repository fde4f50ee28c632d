import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { loadConfig } from '../src/main/core/config'
import { startConsole, type RunningConsole } from '../src/main/core/console'
import { createLogger } from '../src/main/core/log'
import type { ProjectorsHandle } from '../src/main/core/projectors'
import { defaultSubsystems } from '../src/main/core/subsystems'
import { startFleet, type Fleet } from '../src/main/sim/fleet'
import { apiClient, defaultCli, MB, round, sleep, startSimChild, stopChild, waitUntil, writeResult } from './support'

// Soak (issue 10): a console on a fresh embedded nats-server with 2,000 simulated agents
// heartbeating every 5 s and an exec to all of them every 30 s, for N minutes. Every sample
// interval it records the console's RSS and heap, the event-loop delay over the interval,
// row counts and the database size. Verdict: RSS levels off when the mean of the last quarter
// of the run is within 10 % (or 16 MB) of the mean of the second quarter. The fleet runs in its
// own process (`kanade-console sim`) so the figures are the console's alone.

export interface SoakOptions {
  minutes?: number
  agents?: number
  heartbeatMs?: number
  execEveryMs?: number
  sampleEveryMs?: number
  /** The built CLI, to run the fleet in a child process; null = in-process fleet. */
  cliPath?: string | null
  out?: string | null
  log?: (line: string) => void
}

export interface SoakSample {
  t_s: number
  rss_mb: number
  heap_used_mb: number
  loop_p50_ms: number
  loop_p99_ms: number
  loop_max_ms: number
  agents: number
  online: number
  results: number
  executions: number
  audit: number
  dead_letters: number
  db_mb: number
}

export interface SoakResult {
  minutes: number
  agents: number
  heartbeat_ms: number
  exec_every_ms: number
  fleet: 'child-process' | 'in-process'
  samples: SoakSample[]
  execs_posted: number
  /** Stream messages projected (results, start events, audit) plus heartbeats received. */
  messages_projected: number
  heartbeats_received: number
  rss_mb: { start: number; end: number; peak: number; second_quarter_mean: number; last_quarter_mean: number }
  event_loop_ms: { p50: number; p99: number; max: number }
  rss_levelled: boolean
  machine: { cpus: number; node: string }
  at: string
}

// monitorEventLoopDelay records the whole interval between its timer's runs, sampling
// interval included: the delay is what exceeds the resolution.
const RESOLUTION_MS = 10
const lag = (ns: number) => round(Math.max(0, ns / 1e6 - RESOLUTION_MS))

export async function runSoak(opts: SoakOptions = {}): Promise<SoakResult> {
  const minutes = opts.minutes ?? 10
  const agents = opts.agents ?? 2_000
  const heartbeatMs = opts.heartbeatMs ?? 5_000
  const execEveryMs = opts.execEveryMs ?? 30_000
  const sampleEveryMs = opts.sampleEveryMs ?? Math.max(5_000, Math.min(30_000, (minutes * 60_000) / 40))
  const log = opts.log ?? ((l: string) => console.log(l))
  const cliPath = opts.cliPath === undefined ? defaultCli() : opts.cliPath
  const dataDir = mkdtempSync(join(tmpdir(), 'kanade-soak-'))
  const token = randomBytes(24).toString('base64url')
  const config = loadConfig({ 'data-dir': dataDir, bind: '127.0.0.1:0', 'static-token': token, 'log-level': 'warn' }, {
    KANADE_NATS_SERVER_BIN: process.env.KANADE_NATS_SERVER_BIN,
  })
  let running: RunningConsole | null = null
  let child: ChildProcess | null = null
  let fleet: Fleet | null = null
  try {
    running = await startConsole(config, { log: createLogger('warn'), subsystems: defaultSubsystems(config) })
    const core = running.core
    const base = running.url!
    const api = apiClient(base, token)
    const natsUrl = core.embeddedNats!.url
    const hb = `${Math.round(heartbeatMs / 1000)}s`
    log(`soak: console at ${base}; ${agents} agents, heartbeat ${hb}, exec every ${execEveryMs / 1000} s, ${minutes} min`)
    if (cliPath) {
      child = await startSimChild(cliPath, ['--agents', String(agents), '--nats', natsUrl, '--heartbeat', hb, '--exec-ms', '50,500', '--stats', '0'], 120_000)
    } else {
      fleet = await startFleet({ natsUrl, agents, heartbeatMs, execTimeMs: [50, 500] })
    }
    await waitUntil(async () => Number((await api('GET', '/api/agents?limit=1')).headers.get('x-online-count')) >= agents * 0.9, 120_000, 'the agents online')
    await api('POST', '/api/jobs', { id: 'soak-job', version: '1.0.0', execute: { shell: 'powershell', script: 'hostname', timeout: '60s' } })

    const count = (sql: string) => Number(core.db.prepare(sql).pluck().get() ?? 0)
    const projectors = core.subsystems.get('projectors') as ProjectorsHandle | undefined
    const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
    const whole = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
    loop.enable()
    whole.enable()
    const samples: SoakSample[] = []
    const t0 = Date.now()
    const end = t0 + minutes * 60_000
    let execs = 0
    let rssPeak = 0
    const peak = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 1000)
    const sample = async () => {
      const m = process.memoryUsage()
      const online = Number((await api('GET', '/api/agents?limit=1')).headers.get('x-online-count'))
      const s: SoakSample = {
        t_s: Math.round((Date.now() - t0) / 1000),
        rss_mb: round(m.rss / MB),
        heap_used_mb: round(m.heapUsed / MB),
        loop_p50_ms: lag(loop.percentile(50)),
        loop_p99_ms: lag(loop.percentile(99)),
        loop_max_ms: lag(loop.max),
        agents: count('SELECT count(*) FROM agents'),
        online,
        results: count('SELECT count(*) FROM execution_results'),
        executions: count('SELECT count(*) FROM executions'),
        audit: count('SELECT count(*) FROM audit_log'),
        dead_letters: count('SELECT count(*) FROM dead_letters'),
        db_mb: round(fileMb(config.dbPath) + fileMb(`${config.dbPath}-wal`)),
      }
      loop.reset()
      samples.push(s)
      log(
        `soak ${String(s.t_s).padStart(5)} s  rss ${s.rss_mb} MB  heap ${s.heap_used_mb} MB  loop p99 ${s.loop_p99_ms} ms (max ${s.loop_max_ms})  ` +
          `online ${s.online}/${s.agents}  results ${s.results}  execs ${s.executions}  db ${s.db_mb} MB`,
      )
    }
    let nextExec = Date.now()
    let nextSample = Date.now() + sampleEveryMs
    while (Date.now() < end) {
      if (Date.now() >= nextExec) {
        await api('POST', '/api/exec/soak-job', { target: { all: true } })
        execs++
        nextExec += execEveryMs
      }
      if (Date.now() >= nextSample) {
        await sample()
        nextSample += sampleEveryMs
      }
      await sleep(Math.max(10, Math.min(nextExec, nextSample, end) - Date.now()))
    }
    await sample()
    clearInterval(peak)
    loop.disable()
    whole.disable()

    const statuses = projectors?.status() ?? []
    const { messages: streamed, heartbeats: beats } = projectors?.counts() ?? { messages: 0, transactions: 0, heartbeats: 0 }
    const rss = samples.map((s) => s.rss_mb)
    const q = Math.max(1, Math.floor(rss.length / 4))
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
    const second = mean(rss.slice(q, 2 * q))
    const last = mean(rss.slice(rss.length - q))
    const result: SoakResult = {
      minutes,
      agents,
      heartbeat_ms: heartbeatMs,
      exec_every_ms: execEveryMs,
      fleet: cliPath ? 'child-process' : 'in-process',
      samples,
      execs_posted: execs,
      messages_projected: streamed + beats,
      heartbeats_received: beats,
      rss_mb: { start: rss[0], end: rss[rss.length - 1], peak: round(rssPeak / MB), second_quarter_mean: round(second), last_quarter_mean: round(last) },
      event_loop_ms: { p50: lag(whole.percentile(50)), p99: lag(whole.percentile(99)), max: lag(whole.max) },
      rss_levelled: last <= Math.max(second * 1.1, second + 16),
      machine: { cpus: cpus().length, node: process.version },
      at: new Date().toISOString(),
    }
    if (statuses.some((s) => s.last_error)) log(`soak: projector errors: ${JSON.stringify(statuses.filter((s) => s.last_error))}`)
    writeResult('soak', opts.out, result, log)
    return result
  } finally {
    await fleet?.stop()
    if (child) await stopChild(child)
    await running?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export function formatSoak(r: SoakResult): string {
  const rows: [string, string][] = [
    ['duration', `${r.minutes} min, ${r.agents} agents, heartbeat ${r.heartbeat_ms / 1000} s, exec every ${r.exec_every_ms / 1000} s (${r.fleet} fleet)`],
    ['execs posted', String(r.execs_posted)],
    ['messages projected', `${r.messages_projected} (${r.heartbeats_received} heartbeats)`],
    ['result rows / dead letters', `${r.samples.at(-1)?.results ?? 0} / ${r.samples.at(-1)?.dead_letters ?? 0}`],
    ['RSS start / end / peak', `${r.rss_mb.start} / ${r.rss_mb.end} / ${r.rss_mb.peak} MB`],
    ['RSS mean, 2nd quarter → last quarter', `${r.rss_mb.second_quarter_mean} → ${r.rss_mb.last_quarter_mean} MB (${r.rss_levelled ? 'levels off' : 'STILL GROWING'})`],
    ['event-loop delay p50 / p99 / max', `${r.event_loop_ms.p50} / ${r.event_loop_ms.p99} / ${r.event_loop_ms.max} ms`],
    ['database size at end', `${r.samples.at(-1)?.db_mb ?? 0} MB`],
    ['machine', `${r.machine.cpus} CPUs, Node ${r.machine.node}`],
  ]
  const w = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')
}

/** `kanade-console soak [--minutes N] [--agents N] [--out FILE] [--in-process]`; exits 1 when RSS keeps growing. */
export async function soakCli(args: string[]): Promise<void> {
  const opts: SoakOptions = {}
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2)
    const value = () => inline ?? args[++i]
    if (flag === '--minutes') opts.minutes = Number(value())
    else if (flag === '--agents') opts.agents = Number(value())
    else if (flag === '--out') opts.out = value()
    else if (flag === '--in-process') opts.cliPath = null
    else throw new Error(`unknown option ${flag} (soak --minutes N --agents N --out FILE --in-process)`)
  }
  if (opts.minutes !== undefined && !(opts.minutes > 0)) throw new Error('--minutes must be a number > 0')
  if (opts.agents !== undefined && (!Number.isInteger(opts.agents) || opts.agents < 1)) throw new Error('--agents must be a whole number ≥ 1')
  const r = await runSoak(opts)
  console.log(`\nsoak\n${formatSoak(r)}`)
  if (!r.rss_levelled) process.exitCode = 1
}

function fileMb(path: string): number {
  try {
    return statSync(path).size / MB
  } catch {
    return 0
  }
}
