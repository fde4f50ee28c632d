import type { FastifyInstance } from 'fastify'
import { EventBus } from '../../../src/main/core/bus'
import { loadConfig, type AuthConfig } from '../../../src/main/core/config'
import type { Db } from '../../../src/main/core/db/open'
import { buildHttpApp, type HttpOptions } from '../../../src/main/core/http/server'
import { silentLogger, type Logger } from '../../../src/main/core/log'
import type { NatsLink } from '../../../src/main/core/nats/connect'
import type { CoreServices } from '../../../src/main/core/services'
import { toCanonical } from '../../../src/shared/time'
import { tempDb } from '../../helpers/db'

// A CoreServices on a fresh migrated SQLite file (and optionally a real NATS link) plus the
// fastify app built from it, for inject()-based tests.

export const NOW = Date.parse('2026-05-20T12:00:00.000Z')
export const iso = (offsetMs = 0) => toCanonical(NOW + offsetMs)

export interface TestApi {
  app: FastifyInstance
  core: CoreServices
  db: Db
  dataDir: string
  close(): Promise<void>
}

export interface TestApiOptions extends HttpOptions {
  auth?: Partial<AuthConfig>
  nats?: NatsLink | null
  readonly?: boolean
  now?: () => number
  log?: Logger
}

export function makeCore(o: TestApiOptions = {}): { core: CoreServices; db: Db; dataDir: string; cleanup(): void } {
  const t = tempDb()
  const config = loadConfig({ 'data-dir': t.dir }, {})
  config.auth = { disabled: true, staticToken: null, jwtSecret: null, ...o.auth }
  const core: CoreServices = {
    config,
    db: t.db,
    nats: o.nats ?? null,
    embeddedNats: null,
    bus: new EventBus(),
    log: o.log ?? silentLogger,
    now: o.now ?? (() => NOW),
    readonly: !!o.readonly,
    installId: 'test',
    subsystems: new Map(),
  }
  return { core, db: t.db, dataDir: t.dir, cleanup: t.cleanup }
}

export async function testApi(o: TestApiOptions = {}): Promise<TestApi> {
  const { core, db, dataDir, cleanup } = makeCore(o)
  const app = await buildHttpApp(core, { webRoot: null, validateResponses: true, ...o })
  await app.ready()
  return {
    app,
    core,
    db,
    dataDir,
    async close() {
      await app.close()
      cleanup()
    },
  }
}

// ---- fixture rows ---------------------------------------------------------------------

export function insertAgent(
  db: Db,
  a: { pc_id: string; hostname?: string | null; os_family?: string | null; agent_version?: string | null; last_heartbeat?: string | null; last_seen_at?: string | null; updated_at?: string },
): void {
  db.prepare(
    `INSERT INTO agents (pc_id, hostname, os_family, agent_version, last_heartbeat, last_seen_at, updated_at)
     VALUES (@pc_id, @hostname, @os_family, @agent_version, @last_heartbeat, @last_seen_at, @updated_at)`,
  ).run({
    hostname: null,
    os_family: null,
    agent_version: null,
    last_heartbeat: null,
    last_seen_at: null,
    updated_at: iso(),
    ...a,
  })
}

export interface ResultFixture {
  result_id: string
  request_id?: string
  exec_id?: string | null
  pc_id: string
  exit_code?: number | null
  stdout?: string
  stderr?: string
  started_at?: string
  finished_at?: string | null
  recorded_at?: string
  job_id?: string | null
  version?: string | null
}

export function insertResult(db: Db, r: ResultFixture): void {
  db.prepare(
    `INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr, started_at,
       finished_at, recorded_at, job_id, version)
     VALUES (@result_id, @request_id, @exec_id, @pc_id, @exit_code, @stdout, @stderr, @started_at, @finished_at,
       @recorded_at, @job_id, @version)`,
  ).run({
    request_id: `req-${r.result_id}`,
    exec_id: null,
    exit_code: null,
    stdout: '',
    stderr: '',
    started_at: iso(),
    finished_at: null,
    recorded_at: iso(),
    job_id: null,
    version: null,
    ...r,
  })
}

export function insertExecution(
  db: Db,
  e: { exec_id: string; job_id: string; version?: string; initiated_by?: string; initiated_at?: string; target_count: number; success_count?: number; failure_count?: number; status?: string },
): void {
  db.prepare(
    `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count, success_count,
       failure_count, status)
     VALUES (@exec_id, @job_id, @version, @initiated_by, @initiated_at, @target_count, @success_count, @failure_count, @status)`,
  ).run({ version: '1.0.0', initiated_by: 'operator', initiated_at: iso(), success_count: 0, failure_count: 0, status: 'pending', ...e })
}

export function insertAudit(
  db: Db,
  a: { actor: string; action: string; target?: string | null; payload?: unknown; occurred_at?: string; stream_seq?: number | null },
): void {
  db.prepare(
    `INSERT INTO audit_log (actor, action, target, payload, occurred_at, stream_seq)
     VALUES (@actor, @action, @target, @payload, @occurred_at, @stream_seq)`,
  ).run({
    target: null,
    occurred_at: iso(),
    stream_seq: null,
    ...a,
    payload: a.payload === undefined ? null : JSON.stringify(a.payload),
  })
}

export function insertFacts(
  db: Db,
  f: { pc_id: string; job_id: string; facts: unknown; display?: unknown; summary?: unknown; collected_at?: string | null; recorded_at?: string },
): void {
  db.prepare(
    `INSERT INTO inventory_facts (pc_id, job_id, facts_json, display_json, summary_json, collected_at, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    f.pc_id,
    f.job_id,
    JSON.stringify(f.facts),
    f.display === undefined ? null : JSON.stringify(f.display),
    f.summary === undefined ? null : JSON.stringify(f.summary),
    f.collected_at ?? null,
    f.recorded_at ?? iso(),
  )
}

export function insertDeadLetter(
  db: Db,
  d: { projector: string; stream?: string; stream_seq?: number | null; subject: string; payload: Buffer; error: string; deliveries?: number; created_at?: string },
): void {
  db.prepare(
    `INSERT INTO dead_letters (projector, stream, stream_seq, subject, payload, error, deliveries, created_at)
     VALUES (@projector, @stream, @stream_seq, @subject, @payload, @error, @deliveries, @created_at)`,
  ).run({ stream: 'RESULTS', stream_seq: null, deliveries: 1, created_at: iso(), ...d })
}
