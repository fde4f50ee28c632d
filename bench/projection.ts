// Projection benchmark (issue 3): on a fresh embedded nats-server, publish N kanade-format
// ExecResults (~300 bytes) and measure the end-to-end projection rate of the runner in its
// batched mode and in one-message-per-transaction mode (kanade 0.30's way), in the same run,
// plus event-loop delay p99 (perf_hooks.monitorEventLoopDelay) and peak RSS.
// Modes: `batched` is the console's way (the projection thread receives, writes and acks; the
// event loop measured is the console's, which only gets the push events),
// `batched-inline` the same batches received and written on the event loop, `per-message`
// kanade's way (one transaction per message, on the event loop).
// Prints a table and writes JSON (bench/results/projection.json). Figures, never pass/fail.
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { spawnSync } from 'node:child_process'
import { connect, type NatsConnection } from 'nats'
import { EventBus } from '../src/main/core/bus'
import { closeDatabase, openDatabase, type Db } from '../src/main/core/db/open'
import { migrate } from '../src/main/core/db/migrate'
import { silentLogger } from '../src/main/core/log'
import { bootstrapJetStream } from '../src/main/core/nats/bootstrap'
import { findNatsServer, startEmbeddedNats } from '../src/main/core/nats/embedded'
import { applyChunk } from '../src/main/core/projectors/apply'
import { ManifestCache } from '../src/main/core/projectors/manifests'
import { resultsProjector } from '../src/main/core/projectors/results'
import { StreamRunner } from '../src/main/core/projectors/runner'
import { startProjectionThread } from '../src/main/core/projectors/projection-thread'
import type { ProjectionCounts } from '../src/main/core/projectors'
import type { ApplyEnv } from '../src/main/core/projectors/types'
import { NatsLink } from '../src/main/core/nats/connect'
import type { ConsoleConfig } from '../src/main/core/config'
import type { CoreServices } from '../src/main/core/services'
import { startWalCheckpointer } from '../src/main/core/projectors/wal-checkpointer'
import type { StreamProjector } from '../src/main/core/projectors/types'

export interface ProjectionBenchOptions {
  /** Results to publish (default 100,000). */
  count?: number
  /** JSON output path (default bench/results/projection.json under the working directory); null = none. */
  out?: string | null
  /** Progress and table output (default console.log). */
  print?: (line: string) => void
  natsServerBin?: string | null
  /** Modes to run (default both; one mode alone is for profiling). */
  modes?: ModeResult['mode'][]
}

export interface ModeResult {
  mode: 'batched' | 'batched-inline' | 'per-message'
  /** Where the projection ran: its own threads (the console's way) or the event loop. */
  where: 'thread' | 'event loop'
  messages: number
  seconds: number
  msgsPerSecond: number
  eventLoopDelayP99Ms: number
  eventLoopDelayMaxMs: number
  peakRssMb: number
  /** Sanity: rows and counter totals equal the messages. */
  rows: number
  counted: number
  /** Average messages per SQLite transaction. */
  msgsPerTransaction: number
  /** 1-minute load average before and after (other processes on the machine skew timings). */
  loadAvg: [number, number]
  /** CPU time of this process (all threads) per message: less sensitive to other load. */
  cpuMicrosPerMsg: number
}

export interface ProjectionBenchResult {
  date: string
  count: number
  avgPayloadBytes: number
  publishPerSecond: number
  node: string
  natsServer: string
  cpus: number
  cpuModel: string
  modes: ModeResult[]
  /** The same payloads through applyChunk alone (no NATS, 1000 per transaction, one thread): the write side's ceiling. */
  applyCeiling: { msgsPerSecond: number; cpuMicrosPerMsg: number }
  speedup: number
  targets: { batchedMsgsPerSecond: number; speedup: number; eventLoopDelayP99Ms: number }
  met: { batchedRate: boolean; speedup: boolean; eventLoopDelay: boolean }
  process: { peakRssMb: number }
}

const EXECS = 100
const enc = new TextEncoder()

/** A kanade 0.30 ExecResult of about 300 bytes; one in ten fails. */
function makeResult(i: number, execIds: string[]): Uint8Array {
  const exitCode = i % 10 === 9 ? 1 : 0
  return enc.encode(
    JSON.stringify({
      result_id: randomUUID(),
      request_id: randomUUID(),
      exec_id: execIds[i % EXECS],
      pc_id: `PC-${String(i).padStart(6, '0')}`,
      exit_code: exitCode,
      stdout: exitCode ? '' : `kanade ok ${i} — inventory refreshed, 3 services checked`,
      stderr: exitCode ? 'Access is denied. (0x80070005)' : '',
      started_at: '2026-05-20T12:00:00.1234567Z',
      finished_at: '2026-05-20T12:00:01.7654321Z',
      manifest_id: 'echo-test',
    }),
  )
}

async function publishAll(nc: NatsConnection, payloads: Uint8Array[]): Promise<number> {
  const js = nc.jetstream()
  const window = 2000
  let last = 0
  for (let i = 0; i < payloads.length; i += window) {
    const acks = await Promise.all(payloads.slice(i, i + window).map((p, j) => js.publish(`results.bench-${i + j}`, p)))
    last = acks[acks.length - 1].seq
  }
  return last
}

interface Projection {
  where: ModeResult['where']
  counts(): ProjectionCounts | Promise<ProjectionCounts>
  stop(): Promise<void>
}

/** As the console runs it: the projection thread (own NATS and SQLite connections). */
async function inThread(natsUrl: string, db: Db, prefix: string): Promise<Projection> {
  const link = await NatsLink.open({ servers: [natsUrl] })
  const core: CoreServices = {
    config: { consumerPrefix: prefix } as ConsoleConfig,
    db,
    nats: link,
    embeddedNats: null,
    bus: new EventBus(),
    log: silentLogger,
    now: Date.now,
    readonly: false,
    installId: prefix,
    subsystems: new Map(),
  }
  const handle = await startProjectionThread(core, {
    projectors: ['results'],
    heartbeats: false,
  })
  if (!handle) throw new Error('the projection thread did not start (is out/main/projection-thread.js built?)')
  return {
    where: 'thread',
    counts: () => handle.counts(),
    async stop() {
      await handle.stop()
      await link.close()
    },
  }
}

/** The runner on this event loop, writing inline (batches of `maxBatch`, or kanade's one per transaction). */
function inProcess(nc: NatsConnection, env: ApplyEnv, prefix: string, maxBatch: number): Projection {
  const runner = new StreamRunner(nc, env, new EventBus(), silentLogger, resultsProjector as StreamProjector, { prefix, maxBatch })
  runner.start()
  return {
    where: 'event loop',
    counts: () => ({ messages: runner.settled, transactions: runner.transactions, heartbeats: 0 }),
    stop: () => runner.stop(),
  }
}

async function runMode(
  nc: NatsConnection,
  natsUrl: string,
  dir: string,
  mode: ModeResult['mode'],
  execIds: string[],
  perExec: number,
  lastSeq: number,
  count: number,
): Promise<ModeResult> {
  const db = openDatabase(join(dir, `${mode}.db`))
  try {
    migrate(db)
    const ins = db.prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count) VALUES (?, 'echo-test', '0.0.1', 'bench', ?)`)
    db.transaction(() => execIds.forEach((id) => ins.run(id, perExec)))()
    const manifests = ManifestCache.of(
      { 'echo-test': { id: 'echo-test', version: '0.0.1', execute: { shell: 'powershell', script: "echo 'kanade'", timeout: '30s' } } },
      silentLogger,
    )
    const env = { db, now: Date.now, manifests, log: silentLogger }
    // As in the console: WAL checkpoints run in a worker, not inside batch commits.
    const checkpointer = startWalCheckpointer(db, silentLogger)
    const prefix = `bench_${mode.replace(/-/g, '_')}`
    const offset = db.prepare("SELECT last_seq FROM projector_offsets WHERE projector = 'results'")
    const h = monitorEventLoopDelay({ resolution: 10 })
    let peakRss = process.memoryUsage.rss()
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50)
    const loadBefore = round(loadavg()[0], 2)
    const cpu0 = process.cpuUsage()
    h.enable()
    const t0 = performance.now()
    const projection = mode === 'batched' ? await inThread(natsUrl, db, prefix) : inProcess(nc, env, prefix, mode === 'per-message' ? 1 : 1000)
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        const r = offset.get() as { last_seq: number } | undefined
        if (r && r.last_seq >= lastSeq) {
          clearInterval(poll)
          done()
        }
      }, 5)
    })
    const seconds = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    h.disable()
    clearInterval(rssTimer)
    const { messages, transactions } = await projection.counts()
    const msgsPerTransaction = round(messages / Math.max(1, transactions), 1)
    await projection.stop()
    await checkpointer?.stop()
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM execution_results').get() as { n: number }).n
    const counted = (db.prepare('SELECT SUM(success_count + failure_count) AS n FROM executions').get() as { n: number }).n
    return {
      mode,
      where: projection.where,
      messages: count,
      seconds: round(seconds, 3),
      msgsPerSecond: Math.round(count / seconds),
      eventLoopDelayP99Ms: round(h.percentile(99) / 1e6, 2),
      eventLoopDelayMaxMs: round(h.max / 1e6, 2),
      peakRssMb: round(peakRss / 2 ** 20, 1),
      rows,
      counted,
      msgsPerTransaction,
      loadAvg: [loadBefore, round(loadavg()[0], 2)],
      cpuMicrosPerMsg: round((cpu.user + cpu.system) / count, 1),
    }
  } finally {
    closeDatabase(db)
  }
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d

/** What the projection costs without NATS: decode + SQLite, 1000 messages per transaction. */
function applyCeiling(dir: string, payloads: Uint8Array[], execIds: string[]): ProjectionBenchResult['applyCeiling'] {
  const db = openDatabase(join(dir, 'ceiling.db'))
  try {
    migrate(db)
    const ins = db.prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count) VALUES (?, 'echo-test', '0.0.1', 'bench', ?)`)
    db.transaction(() => execIds.forEach((id) => ins.run(id, Math.ceil(payloads.length / EXECS))))()
    db.pragma('wal_autocheckpoint = 0')
    db.pragma('cache_size = -65536')
    const env = { db, now: Date.now, manifests: ManifestCache.of({}, silentLogger), log: silentLogger }
    const msgs = payloads.map((data, i) => ({ stream: 'RESULTS', seq: i + 1, subject: `results.bench-${i}`, data, deliveries: 1 }))
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    for (let i = 0; i < msgs.length; i += 1000) {
      applyChunk(env, resultsProjector as StreamProjector, msgs.slice(i, i + 1000), { maxDeliver: 10, consumer: 'ceiling' })
    }
    const seconds = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    return { msgsPerSecond: Math.round(msgs.length / seconds), cpuMicrosPerMsg: round((cpu.user + cpu.system) / msgs.length, 1) }
  } finally {
    closeDatabase(db)
  }
}

export async function runProjectionBench(opts: ProjectionBenchOptions = {}): Promise<ProjectionBenchResult> {
  const count = opts.count ?? 100_000
  const print = opts.print ?? ((l: string) => console.log(l))
  const dir = mkdtempSync(join(tmpdir(), 'kanade-bench-'))
  const server = await startEmbeddedNats({ storeDir: join(dir, 'nats'), bin: opts.natsServerBin })
  const nc = await connect({ servers: server.url })
  try {
    await bootstrapJetStream(nc)
    const execIds = Array.from({ length: EXECS }, () => randomUUID())
    const payloads = Array.from({ length: count }, (_, i) => makeResult(i, execIds))
    const avgPayloadBytes = Math.round(payloads.reduce((s, p) => s + p.length, 0) / count)
    print(`publishing ${count} ExecResults (~${avgPayloadBytes} bytes) to RESULTS…`)
    const p0 = performance.now()
    const lastSeq = await publishAll(nc, payloads)
    const publishPerSecond = Math.round(count / ((performance.now() - p0) / 1000))
    print('applying the same payloads without NATS (the write side alone)…')
    const ceiling = applyCeiling(dir, payloads, execIds)
    payloads.length = 0

    const modes: ModeResult[] = []
    for (const mode of opts.modes ?? (['batched', 'batched-inline', 'per-message'] as const)) {
      print(`projecting in ${mode} mode…`)
      modes.push(await runMode(nc, server.url, dir, mode, execIds, Math.ceil(count / EXECS), lastSeq, count))
    }
    const batched = modes.find((m) => m.mode === 'batched')
    const perMessage = modes.find((m) => m.mode === 'per-message')
    const speedup = batched && perMessage ? round(batched.msgsPerSecond / perMessage.msgsPerSecond, 2) : 0
    const targets = { batchedMsgsPerSecond: 60_000, speedup: 3.5, eventLoopDelayP99Ms: 20 }
    const result: ProjectionBenchResult = {
      date: new Date().toISOString(),
      count,
      avgPayloadBytes,
      publishPerSecond,
      node: process.version,
      natsServer: natsServerVersion(opts.natsServerBin),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      modes,
      applyCeiling: ceiling,
      speedup,
      targets,
      met: {
        batchedRate: (batched?.msgsPerSecond ?? 0) >= targets.batchedMsgsPerSecond,
        speedup: speedup >= targets.speedup,
        eventLoopDelay: (batched?.eventLoopDelayP99Ms ?? Infinity) <= targets.eventLoopDelayP99Ms,
      },
      process: { peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1) },
    }
    for (const line of table(result)) print(line)
    if (opts.out !== null) {
      const out = resolve(opts.out ?? join('bench', 'results', 'projection.json'))
      mkdirSync(dirname(out), { recursive: true })
      writeFileSync(out, JSON.stringify(result, null, 2) + '\n')
      print(`written ${out}`)
    }
    return result
  } finally {
    await nc.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

function natsServerVersion(bin?: string | null): string {
  const r = spawnSync(findNatsServer(bin), ['--version'], { encoding: 'utf8' })
  return (r.stdout || r.stderr || '').trim()
}

function table(r: ProjectionBenchResult): string[] {
  const head = ['mode', 'where', 'messages', 'seconds', 'msg/s', 'cpu µs/msg', 'msg/tx', 'loop p99 ms', 'loop max ms', 'peak RSS MB', 'rows', 'counted', 'load 1m']
  const rows = r.modes.map((m) =>
    [m.mode, m.where, m.messages, m.seconds, m.msgsPerSecond, m.cpuMicrosPerMsg, m.msgsPerTransaction, m.eventLoopDelayP99Ms, m.eventLoopDelayMaxMs, m.peakRssMb, m.rows, m.counted, m.loadAvg.join('→')].map(String),
  )
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ')
  const ok = (b: boolean) => (b ? 'met' : 'NOT met')
  return [
    '',
    `projection benchmark — ${r.count} results (~${r.avgPayloadBytes} B), ${r.natsServer}, node ${r.node}, ${r.cpus} × ${r.cpuModel}`,
    line(head),
    line(head.map((_, i) => '-'.repeat(width[i]))),
    ...rows.map(line),
    '',
    `batched ≥ ${r.targets.batchedMsgsPerSecond} msg/s: ${ok(r.met.batchedRate)}; speedup ${r.speedup}× (target ≥ ${r.targets.speedup}×): ${ok(r.met.speedup)}; ` +
      `batched loop delay p99 ≤ ${r.targets.eventLoopDelayP99Ms} ms: ${ok(r.met.eventLoopDelay)}`,
    `write side alone (applyChunk, no NATS, 1000 per transaction): ${r.applyCeiling.msgsPerSecond} msg/s, ${r.applyCeiling.cpuMicrosPerMsg} µs CPU/msg`,
    `publish rate ${r.publishPerSecond} msg/s; process peak RSS ${r.process.peakRssMb} MB`,
  ]
}

/** `kanade-console bench [projection] [--count N] [--out FILE]`. */
export async function projectionBenchCli(args: string[]): Promise<void> {
  const rest = args[0] === 'projection' ? args.slice(1) : args
  if (rest[0] && !rest[0].startsWith('--')) throw new Error(`unknown benchmark "${rest[0]}" (available: projection)`)
  let count: number | undefined
  let out: string | undefined
  let modes: ModeResult['mode'][] | undefined
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split('=', 2)
    const value = inline ?? rest[++i]
    if (flag === '--count') count = Number(value)
    else if (flag === '--out') out = value
    else if (flag === '--mode' && (value === 'batched' || value === 'batched-inline' || value === 'per-message')) modes = [value]
    else throw new Error(`unknown option ${flag} ${value ?? ''} (bench projection --count N --out FILE --mode batched|batched-inline|per-message)`)
  }
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new Error('--count must be a whole number ≥ 1')
  await runProjectionBench({ count, out, modes })
}
