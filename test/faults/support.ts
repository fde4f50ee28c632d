// Plumbing of the fault tests: the built console as a child process against a test
// nats-server, the database read from the outside, fast JetStream publishing that rides
// through a broker restart, and polling with a deadline.
import { mkdtempSync, rmSync } from 'node:fs'
import { connect as netConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { connect, type NatsConnection } from 'nats'
import Database from 'better-sqlite3'
import { closeDatabase, openDatabase, type Db } from '../../src/main/core/db/open'
import { migrate } from '../../src/main/core/db/migrate'
import { startEmbeddedNats, type EmbeddedNats } from '../../src/main/core/nats/embedded'
import { encodeExecResult } from '../../src/shared/wire'
import { subjects } from '../../src/shared/nats-names'
import { toWire } from '../../src/shared/time'
import { bootstrapJetStream } from '../../src/main/core/nats/bootstrap'
import { startServe, type ServeProcess } from '../helpers/serve'
import { startTestNats, type TestNats } from '../helpers/nats'
import { tempDir } from '../helpers/db'

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Poll `pred` every `everyMs` until true; fail naming `what` (and the last value seen). */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs
  let last: T
  for (;;) {
    last = await probe()
    if (ok(last)) return last
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`)
    await sleep(everyMs)
  }
}

/** A migrated database file, prepared before the console first opens it. */
export function seedDb(path: string, fill: (db: Db) => void): void {
  const db = openDatabase(path)
  migrate(db)
  db.transaction(() => fill(db))()
  closeDatabase(db)
}

/** The console's database in `dataDir`, migrated, with `executions` rows awaiting `n` results
 *  spread evenly over `execIds`; returns its path. */
export function seedResultsDb(dataDir: string, execIds: string[], n: number): string {
  const path = dbPathIn(dataDir)
  seedDb(path, (db) => seedExecutions(db, execIds, n / execIds.length))
  return path
}

/** What most fault tests run against: a test nats-server with the JetStream streams, a client
 *  of it, and a temp data directory. */
export interface FaultEnv {
  nats: TestNats
  nc: NatsConnection
  data: ReturnType<typeof tempDir>
}

export async function startFaultEnv(dirPrefix: string): Promise<FaultEnv> {
  const nats = await startTestNats()
  try {
    const nc = await nats.client()
    await bootstrapJetStream(nc, 1)
    return { nats, nc, data: tempDir(dirPrefix) }
  } catch (e) {
    await nats.stop()
    throw e
  }
}

/** Stops the server and removes the data directory (after the console using them is gone). */
export async function stopFaultEnv(env: FaultEnv | undefined): Promise<void> {
  await env?.nats.stop()
  env?.data.cleanup()
}

/** A second connection to the console's database (WAL: reads never block its writer). */
export function openReader(path: string): Database.Database {
  const db = new Database(path, { fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  return db
}

export const count = (db: Database.Database, sql: string, ...args: unknown[]): number =>
  Number(db.prepare(sql).pluck().get(...args) ?? 0)

export interface ConsoleProc {
  proc: ServeProcess
  url: string
  /** SIGKILL: no shutdown code runs, like a power cut or an OOM kill. */
  kill9(): Promise<void>
  stop(): Promise<number | null>
}

/** The built `kanade-console serve` on a random port, against an external broker, auth off. */
export async function startConsoleProcess(o: { natsUrl: string; dataDir: string; env?: NodeJS.ProcessEnv }): Promise<ConsoleProc> {
  const proc = await startServe(
    ['--nats-url', o.natsUrl, '--data-dir', o.dataDir, '--db', dbPathIn(o.dataDir), '--bind', '127.0.0.1:0'],
    { KANADE_AUTH_DISABLE: '1', KANADE_LOG_LEVEL: 'warn', KANADE_CONSUMER_PREFIX: 'faults', ...o.env },
  )
  return {
    proc,
    url: proc.url,
    async kill9() {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return
      await new Promise<void>((res) => {
        proc.child.once('exit', () => res())
        proc.child.kill('SIGKILL')
      })
    },
    stop: () => proc.stop('SIGTERM'),
  }
}

export const dbPathIn = (dataDir: string) => join(dataDir, 'console.db')

export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url)
  return { status: res.status, body: (await res.json()) as T }
}

// ---- publishing ------------------------------------------------------------------------

const enc = new TextEncoder()

export interface Outgoing {
  subject: string
  data: Uint8Array
}

export interface PublishReport {
  published: number
  retries: number
}

/**
 * JetStream-publish every message, keeping `window` publishes in flight; a publish that fails
 * (broker restarting) is retried until it is acked, so each message is stored once — the
 * msgID makes a retried publish of an already-stored message a duplicate the server drops
 * (`dedupe: false` skips it where the broker stays up, for speed).
 */
export async function publishAll(
  nc: NatsConnection,
  msgs: Outgoing[],
  opts: { window?: number; onProgress?: (published: number) => void; dedupe?: boolean } = {},
): Promise<PublishReport> {
  const js = nc.jetstream()
  const window = opts.window ?? 512
  let next = 0
  let published = 0
  let retries = 0
  const worker = async () => {
    while (next < msgs.length) {
      const i = next++
      const m = msgs[i]
      const msgID = opts.dedupe === false ? undefined : `fault-${i}-${m.subject}`
      for (;;) {
        try {
          await js.publish(m.subject, m.data, { msgID, timeout: 5000 })
          break
        } catch {
          retries++
          await sleep(100)
        }
      }
      published++
      opts.onProgress?.(published)
    }
  }
  await Promise.all(Array.from({ length: Math.min(window, msgs.length) }, worker))
  return { published, retries }
}

/** `n` ExecResults spread over `execIds`; every `failEvery`-th fails. */
export function resultMessages(n: number, execIds: string[], failEvery = 10): { msgs: Outgoing[]; expected: Map<string, { ok: number; failed: number }> } {
  const expected = new Map(execIds.map((id) => [id, { ok: 0, failed: 0 }]))
  const t0 = Date.now()
  const msgs: Outgoing[] = []
  for (let i = 0; i < n; i++) {
    const exec_id = execIds[i % execIds.length]
    const exit_code = i % failEvery === 0 ? 1 : 0
    const e = expected.get(exec_id)!
    if (exit_code === 0) e.ok++
    else e.failed++
    const request_id = randomUUID()
    msgs.push({
      subject: subjects.results(request_id),
      data: enc.encode(
        encodeExecResult({
          result_id: randomUUID(),
          request_id,
          exec_id,
          pc_id: `PC-${String(i).padStart(5, '0')}`,
          exit_code,
          stdout: `run ${i}: ` + 'o'.repeat(120),
          stderr: exit_code ? 'boom' : '',
          started_at: toWire(t0 + i),
          finished_at: toWire(t0 + i + 500),
          manifest_id: 'fault-job',
        }),
      ),
    })
  }
  return { msgs, expected }
}

/** `executions` rows the results will count into (pending, `target` each). */
export function seedExecutions(db: Db, execIds: string[], target: number): void {
  const ins = db.prepare(
    `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count, status)
     VALUES (?, 'fault-job', '1.0.0', 'operator', ?, ?, 'pending')`,
  )
  // Now, not a fixed date: retention (90 days) runs inside the console too.
  for (const id of execIds) ins.run(id, new Date().toISOString(), target)
}

/** Every counter matches what was published; no row counted twice or missed. */
export function counterMismatches(db: Database.Database, expected: Map<string, { ok: number; failed: number }>): string[] {
  const rows = db.prepare('SELECT exec_id, success_count, failure_count, status, target_count FROM executions').all() as {
    exec_id: string
    success_count: number
    failure_count: number
    status: string
    target_count: number
  }[]
  const bad: string[] = []
  for (const r of rows) {
    const e = expected.get(r.exec_id)
    if (!e) continue
    if (r.success_count !== e.ok || r.failure_count !== e.failed) {
      bad.push(`${r.exec_id}: success ${r.success_count}/${e.ok}, failure ${r.failure_count}/${e.failed}`)
    }
    const done = e.ok + e.failed >= r.target_count
    if ((r.status === 'completed') !== done) bad.push(`${r.exec_id}: status ${r.status} with ${e.ok + e.failed}/${r.target_count}`)
  }
  return bad
}

/** What a failing fault test should print: stream and consumer state against the database. */
export async function diagnose(nc: NatsConnection, db: Database.Database, c?: ConsoleProc): Promise<string> {
  const lines: string[] = []
  try {
    const jsm = await nc.jetstreamManager()
    for (const name of ['RESULTS', 'AUDIT', 'EVENTS']) {
      const si = await jsm.streams.info(name)
      lines.push(`stream ${name}: ${si.state.messages} messages, seq ${si.state.first_seq}..${si.state.last_seq}`)
      for await (const ci of jsm.consumers.list(name)) {
        lines.push(`  consumer ${ci.name}: delivered ${ci.delivered.stream_seq}, ack floor ${ci.ack_floor.stream_seq}, pending ${ci.num_pending}, ack pending ${ci.num_ack_pending}, redelivered ${ci.num_redelivered}`)
      }
    }
  } catch (e) {
    lines.push(`broker state unavailable: ${(e as Error).message}`)
  }
  lines.push(`offsets ${JSON.stringify(db.prepare('SELECT projector, last_seq FROM projector_offsets').all())}`)
  lines.push(`retries ${JSON.stringify(db.prepare('SELECT projector, stream_seq, attempts, last_error FROM projector_retries LIMIT 5').all())}`)
  lines.push(`dead letters ${count(db, 'SELECT count(*) FROM dead_letters')}`)
  if (c) lines.push(`console output (tail):\n${c.proc.output().slice(-3000)}`)
  return lines.join('\n')
}

// ---- a broker that can be taken down and brought back -----------------------------------

/** A nats-server whose outage the test controls: down() and up() on the same port and store. */
export class Broker {
  private server: EmbeddedNats | null = null
  /** Port of the running server (0 before the first start). */
  get port(): number {
    return this.portNo
  }
  private constructor(
    readonly storeDir: string,
    private portNo: number,
  ) {}

  static async start(): Promise<Broker> {
    const storeDir = mkdtempSync(join(tmpdir(), 'kanade-broker-'))
    const b = new Broker(storeDir, 0)
    await b.up()
    return b
  }

  get url(): string {
    return `nats://127.0.0.1:${this.portNo}`
  }

  async up(): Promise<void> {
    if (this.server) return
    this.server = await startEmbeddedNats({ storeDir: this.storeDir, ...(this.portNo ? { port: this.portNo } : {}) })
    this.portNo = this.server.port
  }

  async down(): Promise<void> {
    await this.server?.stop()
    this.server = null
  }

  /** A client that reconnects forever (it must ride through the outages too). */
  async client(): Promise<NatsConnection> {
    return connect({ servers: this.url, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true })
  }

  async close(): Promise<void> {
    await this.down()
    rmSync(this.storeDir, { recursive: true, force: true })
  }
}

// ---- a cuttable network link ------------------------------------------------------------

/** A TCP relay in front of the broker; cut() drops every connection at once (a network blip:
 *  bytes on the wire are lost, both ends see a reset, clients reconnect through the relay).
 *  dropThenCut() first swallows what the broker sends for a while, so deliveries the server
 *  counts as sent never reach the client. */
export class CuttableLink {
  private sockets = new Set<Socket>()
  private dropping = false
  private constructor(private server: Server) {}

  static async to(upstreamPort: number): Promise<CuttableLink> {
    const server = createServer()
    const link = new CuttableLink(server)
    server.on('connection', (client) => {
      const upstream = netConnect(upstreamPort, '127.0.0.1')
      for (const s of [client, upstream]) {
        link.sockets.add(s)
        s.on('close', () => link.sockets.delete(s))
        s.on('error', () => {})
      }
      client.pipe(upstream)
      upstream.on('data', (chunk: Buffer) => {
        if (!link.dropping) client.write(chunk)
      })
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    return link
  }

  get url(): string {
    return `nats://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  cut(): number {
    const n = this.sockets.size
    for (const s of this.sockets) s.resetAndDestroy()
    return n
  }

  /** Swallow broker → client bytes for `ms`, then cut. */
  async dropThenCut(ms: number): Promise<number> {
    this.dropping = true
    await sleep(ms)
    const n = this.cut()
    this.dropping = false
    return n
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
}
