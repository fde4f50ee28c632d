import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { loadConfig } from '../src/main/core/config'
import { startConsole, type RunningConsole } from '../src/main/core/console'
import { createLogger } from '../src/main/core/log'
import { defaultSubsystems } from '../src/main/core/subsystems'
import { startFleet, type Fleet } from '../src/main/sim/fleet'
import { apiClient, defaultCli, MB, round, startSimChild, stopChild, waitUntil, writeResult } from './support'

// Fan-out benchmark (issue 7): a console on a fresh embedded nats-server, N simulated agents
// (default 5,000), one exec to `all`. Measured: the time from the POST /api/exec to all N
// results being queryable through GET /api/executions/{id}, and the console's event-loop
// delay and RSS meanwhile. The fleet runs in its own process (`kanade-console sim`) so its
// work does not count against the console's event loop; on a 2-core machine it still
// competes for CPU with the console and nats-server, as a busy real deployment would.

export interface FanoutBenchOptions {
  agents?: number
  /** Simulated process start-up per run, ms (default 0–500: results arrive spread out). */
  execTimeMs?: readonly [number, number]
  /** The built CLI used to run the fleet in a child process; default: this process's script
   *  when it is the CLI, else the fleet runs in-process (then the figures include it). */
  cliPath?: string | null
  out?: string | null
  timeoutMs?: number
  /** The fleet's JetStream publishes awaiting a PubAck at once. */
  maxInFlight?: number
  log?: (line: string) => void
}

export interface FanoutBenchResult {
  agents: number
  target_count: number
  fleet: 'child-process' | 'in-process'
  exec_time_ms: [number, number]
  /** POST /api/exec → 200. */
  post_ms: number
  /** POST → every result stored in the RESULTS stream (the broker side). */
  broker_all_results_ms: number | null
  /** POST → GET /api/executions/{id} lists all results, finished. The headline figure. */
  fanout_ms: number
  successes: number
  failures: number
  event_loop_delay_ms: { p50: number; p99: number; max: number }
  rss_mb: { before: number; peak: number; after: number }
  /** CPU time used during the fan-out window (Linux /proc; null elsewhere). */
  cpu_ms: { console: number; fleet: number | null; nats_server: number | null }
  heap_used_peak_mb: number
  machine: { cpus: number; node: string; platform: string }
  at: string
}

export async function runFanoutBench(opts: FanoutBenchOptions = {}): Promise<FanoutBenchResult> {
  const agents = opts.agents ?? 5_000
  const execTimeMs: [number, number] = [opts.execTimeMs?.[0] ?? 0, opts.execTimeMs?.[1] ?? 500]
  const log = opts.log ?? ((l: string) => console.log(l))
  const timeoutMs = opts.timeoutMs ?? 120_000
  const cliPath = opts.cliPath === undefined ? defaultCli() : opts.cliPath
  const dataDir = mkdtempSync(join(tmpdir(), 'kanade-bench-fanout-'))
  const token = randomBytes(24).toString('base64url')
  const env = { KANADE_NATS_SERVER_BIN: process.env.KANADE_NATS_SERVER_BIN }
  const config = loadConfig({ 'data-dir': dataDir, bind: '127.0.0.1:0', 'static-token': token, 'log-level': 'warn' }, env)
  let running: RunningConsole | null = null
  let child: ChildProcess | null = null
  let fleet: Fleet | null = null
  try {
    running = await startConsole(config, { log: createLogger('warn'), subsystems: defaultSubsystems(config) })
    const base = running.url!
    const natsUrl = running.core.embeddedNats!.url
    const api = apiClient(base, token)

    log(`fanout: console up at ${base}; starting ${agents} agents (${cliPath ? 'child process' : 'in-process'})`)
    const simArgs = ['--agents', String(agents), '--nats', natsUrl, '--heartbeat', '30s', '--fail-rate', '0', '--slow-rate', '0', '--flap-rate', '0', '--exec-ms', execTimeMs.join(','), '--stats', '0']
    if (opts.maxInFlight) simArgs.push('--max-in-flight', String(opts.maxInFlight))
    if (cliPath) child = await startSimChild(cliPath, simArgs, timeoutMs)
    else fleet = await startFleet({ natsUrl, agents, heartbeatMs: 30_000, failRate: 0, slowRate: 0, flapRate: 0, execTimeMs, maxInFlight: opts.maxInFlight })

    // target_count of `all` = the agents online at exec time: wait until the console has them all.
    await waitUntil(async () => Number((await api('GET', '/api/agents?limit=1')).headers.get('x-online-count')) >= agents, timeoutMs, 'all agents online in the console', 100)
    await api('POST', '/api/jobs', { id: 'bench-fanout', version: '1.0.0', execute: { shell: 'powershell', script: 'hostname', timeout: '60s' } })
    await new Promise((r) => setTimeout(r, 500)) // let the start-up settle before measuring

    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    let heapPeak = process.memoryUsage().heapUsed
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      rssPeak = Math.max(rssPeak, m.rss)
      heapPeak = Math.max(heapPeak, m.heapUsed)
    }, 50)
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()

    const natsPid = running.core.embeddedNats?.process.pid
    const cpuBefore = { console: process.cpuUsage(), fleet: procCpuMs(child?.pid), nats: procCpuMs(natsPid) }
    const jsm = await running.core.nats!.nc.jetstreamManager()
    const resultsBefore = (await jsm.streams.info('RESULTS')).state.messages
    const t0 = performance.now()
    const exec = (await (await api('POST', '/api/exec/bench-fanout', { target: { all: true } })).json()) as { exec_id: string; target_count: number }
    const postMs = performance.now() - t0
    let brokerMs: number | null = null
    let detail: { results: { finished_at: string | null; exit_code: number | null }[] } | null = null
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (brokerMs === null && (await jsm.streams.info('RESULTS')).state.messages - resultsBefore >= agents) brokerMs = performance.now() - t0
      const [row] = (await (await api('GET', '/api/executions?job_id=bench-fanout&limit=1')).json()) as { success_count: number; failure_count: number }[]
      if (row && row.success_count + row.failure_count >= agents) {
        detail = (await (await api('GET', `/api/executions/${exec.exec_id}`)).json()) as typeof detail
        if (detail!.results.filter((r) => r.finished_at !== null).length >= agents) break
      }
      if (Date.now() > deadline) throw new Error(`fan-out did not complete within ${timeoutMs} ms`)
      await new Promise((r) => setTimeout(r, 20))
    }
    const fanoutMs = performance.now() - t0
    const cpuConsole = process.cpuUsage(cpuBefore.console)
    const fleetCpu = procCpuMs(child?.pid)
    const natsCpu = procCpuMs(natsPid)
    loop.disable()
    clearInterval(sampler)

    const results = detail!.results
    const result: FanoutBenchResult = {
      agents,
      target_count: exec.target_count,
      fleet: cliPath ? 'child-process' : 'in-process',
      exec_time_ms: execTimeMs,
      post_ms: round(postMs),
      broker_all_results_ms: brokerMs === null ? null : round(brokerMs),
      fanout_ms: round(fanoutMs),
      successes: results.filter((r) => r.exit_code === 0).length,
      failures: results.filter((r) => r.exit_code !== 0).length,
      event_loop_delay_ms: { p50: round(loop.percentile(50) / 1e6), p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
      rss_mb: { before: round(rssBefore / MB), peak: round(rssPeak / MB), after: round(process.memoryUsage().rss / MB) },
      heap_used_peak_mb: round(heapPeak / MB),
      cpu_ms: {
        console: round((cpuConsole.user + cpuConsole.system) / 1000, 0),
        fleet: fleetCpu !== null && cpuBefore.fleet !== null ? fleetCpu - cpuBefore.fleet : null,
        nats_server: natsCpu !== null && cpuBefore.nats !== null ? natsCpu - cpuBefore.nats : null,
      },
      machine: { cpus: cpus().length, node: process.version, platform: process.platform },
      at: new Date().toISOString(),
    }
    writeResult('fanout', opts.out, result, log)
    return result
  } finally {
    await fleet?.stop()
    if (child) await stopChild(child)
    await running?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export function formatFanout(r: FanoutBenchResult): string {
  const rows: [string, string][] = [
    ['agents (target_count)', `${r.agents} (${r.target_count})`],
    ['fleet', `${r.fleet}, process start-up ${r.exec_time_ms[0]}–${r.exec_time_ms[1]} ms`],
    ['POST /api/exec', `${r.post_ms} ms`],
    ['all results in RESULTS', r.broker_all_results_ms === null ? 'n/a' : `${r.broker_all_results_ms} ms`],
    ['all results via /api/executions/{id}', `${r.fanout_ms} ms  (target ≤ 3000 ms)`],
    ['successes / failures', `${r.successes} / ${r.failures}`],
    ['console event-loop delay p50 / p99 / max', `${r.event_loop_delay_ms.p50} / ${r.event_loop_delay_ms.p99} / ${r.event_loop_delay_ms.max} ms`],
    ['console RSS before / peak / after', `${r.rss_mb.before} / ${r.rss_mb.peak} / ${r.rss_mb.after} MB`],
    ['console heap used, peak', `${r.heap_used_peak_mb} MB`],
    ['CPU during fan-out: console / fleet / nats-server', `${r.cpu_ms.console} / ${r.cpu_ms.fleet ?? 'n/a'} / ${r.cpu_ms.nats_server ?? 'n/a'} ms`],
    ['machine', `${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.machine.platform}`],
  ]
  const w = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')
}

/** `kanade-console bench fanout [--agents N] [--exec-ms MIN,MAX] [--out FILE] [--in-process]` */
export async function fanoutBenchCli(args: string[]): Promise<void> {
  const rest = args[0] === 'fanout' ? args.slice(1) : args
  const opts: FanoutBenchOptions = {}
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split('=', 2)
    const value = () => inline ?? rest[++i]
    if (flag === '--agents') opts.agents = Number(value())
    else if (flag === '--exec-ms') {
      const [lo, hi = lo] = value().split(',').map(Number)
      opts.execTimeMs = [lo, hi]
    } else if (flag === '--out') opts.out = value()
    else if (flag === '--in-process') opts.cliPath = null
    else if (flag === '--max-in-flight') opts.maxInFlight = Number(value())
    else throw new Error(`unknown option ${flag} (bench fanout --agents N --exec-ms MIN,MAX --max-in-flight N --out FILE --in-process)`)
  }
  if (opts.agents !== undefined && (!Number.isInteger(opts.agents) || opts.agents < 1)) throw new Error('--agents must be a whole number ≥ 1')
  if (opts.execTimeMs && !(opts.execTimeMs[0] >= 0 && opts.execTimeMs[1] >= opts.execTimeMs[0])) throw new Error('--exec-ms must be MIN,MAX')
  const r = await runFanoutBench(opts)
  console.log(`\nfan-out benchmark\n${formatFanout(r)}`)
}

/** utime + stime of a process in ms, from /proc (Linux); null when unavailable. */
function procCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return Math.round(((Number(fields[11]) + Number(fields[12])) * 1000) / 100) // clock ticks (USER_HZ = 100)
  } catch {
    return null
  }
}
