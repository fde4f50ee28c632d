// Loads fixtures/projector-cases.json and provides what both the unit (pure apply) and the
// integration (real nats-server) runs of the cases need: seeding `given`, the stand-in for
// the exec step, and the comparison of `expect` with the database (fixture conventions).
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { Db } from '../../../../src/main/core/db/open'
import { resultRowKey } from '../../../../src/main/core/projectors/legacy-id'
import { auditProjector } from '../../../../src/main/core/projectors/audit'
import { eventsStartedProjector } from '../../../../src/main/core/projectors/events-started'
import { inventoryProjector } from '../../../../src/main/core/projectors/inventory'
import { resultsProjector } from '../../../../src/main/core/projectors/results'
import type { StreamProjector } from '../../../../src/main/core/projectors/types'
import { parseTimestamp, toCanonical } from '../../../../src/shared/time'

const here = dirname(fileURLToPath(import.meta.url))
export const fixturesDir = resolve(here, '../../../../../shared/reference/fixtures')

type Row = Record<string, unknown>

export interface Step {
  op: 'deliver' | 'core' | 'cleanup' | 'exec'
  stream?: string
  stream_seq?: number
  subject?: string
  payload?: Row
  payload_raw?: string
  delivery?: number
  applied?: boolean
  max_deliver?: number
  apply_fails_on_deliveries?: number[]
  now?: string
  affected?: number
  job_id?: string
  actor?: string
  plan?: { target: { all?: boolean; groups?: string[]; pcs?: string[] } }
  exec_id_ref?: string
}

export interface FixtureCase {
  id: string
  name: string
  given: { kv?: Record<string, Record<string, unknown>> } & Record<string, unknown>
  steps: Step[]
  expect: Record<string, unknown>
  notes?: string
}

export function loadProjectorCases(): FixtureCase[] {
  const file = JSON.parse(readFileSync(resolve(fixturesDir, 'projector-cases.json'), 'utf8')) as { cases: FixtureCase[] }
  return file.cases
}

export const PROJECTOR_BY_STREAM: Record<string, StreamProjector> = {
  EVENTS: eventsStartedProjector as StreamProjector,
  RESULTS: resultsProjector as StreamProjector,
  AUDIT: auditProjector as StreamProjector,
  INVENTORY: inventoryProjector as StreamProjector,
}

/** Replace `{{name}}` references (exec ids returned by an exec step). */
export function substitute<T>(value: T, refs: Record<string, string>): T {
  let text = JSON.stringify(value)
  for (const [k, v] of Object.entries(refs)) text = text.split(`{{${k}}}`).join(v)
  return JSON.parse(text) as T
}

export function stepBody(step: Step, refs: Record<string, string>): Uint8Array {
  const text = step.payload_raw ?? JSON.stringify(substitute(step.payload, refs))
  return new TextEncoder().encode(text)
}

const GIVEN_TABLES = ['agents', 'executions', 'execution_results', 'inventory_facts', 'audit_log']

/** Insert the `given` rows; returns the KV contents (bucket → key → value). */
export function seedGiven(db: Db, c: FixtureCase): Record<string, Record<string, unknown>> {
  for (const table of GIVEN_TABLES) {
    for (const row of (c.given[table] as Row[] | undefined) ?? []) {
      const cols = Object.keys(row)
      db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
        ...cols.map((k) => row[k] as string | number | null),
      )
    }
  }
  return c.given.kv ?? {}
}

/**
 * Stand-in for the control plane's exec step (RS-13): records the executions row the exec
 * pipeline writes, with target_count = distinct expected PCs (Q1; `all` = agents whose
 * last_heartbeat is within 2 minutes of `now`). The exec pipeline itself is tested by its owner.
 */
export function standInExec(db: Db, step: Step, kv: Record<string, Record<string, unknown>>, execId: string): void {
  const now = parseTimestamp(step.now!)!
  const manifest = kv.jobs?.[step.job_id!] as { version: string }
  const pcs = new Set<string>(step.plan?.target.pcs ?? [])
  if (step.plan?.target.all) {
    const alive = db.prepare('SELECT pc_id FROM agents WHERE last_heartbeat >= ?').all(toCanonical(now - 120_000)) as { pc_id: string }[]
    for (const a of alive) pcs.add(a.pc_id)
  }
  db.prepare(
    `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(execId, step.job_id, manifest.version, step.actor, toCanonical(now), Math.max(1, pcs.size))
}

/**
 * Q17: a result row created by the result itself (its start event absent or later) takes
 * `version` from its executions row. The fixture's `expect` keeps kanade 0.30's NULL there
 * (RS-7's note anticipates '0.0.1' for a console that fills it); this derives the console's
 * expectation from the case data instead of editing the fixture.
 */
export function q17Adjusted(c: FixtureCase, expected: Row[], refs: Record<string, string>): { rows: Row[]; adjusted: string[] } {
  const execVersion = new Map<string, string>()
  for (const e of (c.given.executions as Row[] | undefined) ?? []) execVersion.set(e.exec_id as string, e.version as string)
  for (const s of c.steps) {
    if (s.op === 'exec') {
      const v = (c.given.kv?.jobs?.[s.job_id!] as { version?: string } | undefined)?.version
      if (v && s.exec_id_ref) execVersion.set(refs[s.exec_id_ref], v)
    }
  }
  const createdBy = new Map<string, string>()
  for (const r of (c.given.execution_results as Row[] | undefined) ?? []) createdBy.set(r.result_id as string, 'given')
  for (const s of c.steps) {
    if (s.op !== 'deliver' || !s.payload) continue
    const p = substitute(s.payload, refs) as { result_id?: string; request_id: string; pc_id: string }
    const key = s.stream === 'RESULTS' ? resultRowKey({ result_id: p.result_id ?? '', request_id: p.request_id, pc_id: p.pc_id }) : p.result_id
    if (key && !createdBy.has(key) && (s.stream === 'RESULTS' || s.stream === 'EVENTS')) createdBy.set(key, s.stream)
  }
  const adjusted: string[] = []
  const rows = expected.map((r) => {
    const v = r.exec_id ? execVersion.get(r.exec_id as string) : undefined
    if (r.version === null && v !== undefined && createdBy.get(r.result_id as string) === 'RESULTS') {
      adjusted.push(r.result_id as string)
      return { ...r, version: v }
    }
    return r
  })
  return { rows, adjusted }
}

// Column aliases of the conventions: JSON text columns compared after parsing.
const JSON_ALIAS: Record<string, string> = { facts: 'facts_json', display: 'display_json', summary: 'summary_json' }
const JSON_COLUMNS = new Set(['payload'])
const ORDER: Record<string, string> = {
  execution_results: 'result_id',
  executions: 'exec_id',
  inventory_facts: 'pc_id, job_id',
  audit_log: 'id',
  agents: 'pc_id',
  dead_letters: 'stream, stream_seq',
}
const KEY: Record<string, (r: Row) => string> = {
  execution_results: (r) => String(r.result_id),
  executions: (r) => String(r.exec_id),
  inventory_facts: (r) => `${r.pc_id}/${r.job_id}`,
  audit_log: (r) => String(r.stream_seq ?? ''),
  agents: (r) => String(r.pc_id),
  dead_letters: (r) => `${r.stream}/${r.stream_seq}`,
}

function project(table: string, dbRow: Row, columns: string[]): Row {
  const out: Row = {}
  for (const col of columns) {
    if (JSON_ALIAS[col]) out[col] = dbRow[JSON_ALIAS[col]] == null ? null : JSON.parse(String(dbRow[JSON_ALIAS[col]]))
    else if (JSON_COLUMNS.has(col) && table === 'audit_log') out[col] = dbRow[col] == null ? null : JSON.parse(String(dbRow[col]))
    else out[col] = dbRow[col]
  }
  return out
}

/** Compare every listed table of `expect` with the database (exact rows, listed columns). */
export function expectTables(db: Db, expectRows: Record<string, Row[]>, label: string): void {
  for (const [table, rows] of Object.entries(expectRows)) {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    const all = db.prepare(`SELECT * FROM ${table} ORDER BY ${ORDER[table]}`).all() as Row[]
    const actual = all.map((r) => project(table, r, columns))
    const sort = (xs: Row[]) => [...xs].sort((a, b) => KEY[table](a).localeCompare(KEY[table](b)))
    expect(sort(actual), `${label}: table ${table}`).toEqual(sort(rows))
  }
}

/** The `expect` tables of a case (without `acked`), exec refs substituted, Q17 applied. */
export function expectedTables(c: FixtureCase, refs: Record<string, string>, seqMap?: (stream: string, seq: number) => number) {
  const out: Record<string, Row[]> = {}
  const q17: string[] = []
  for (const [table, rows] of Object.entries(c.expect)) {
    if (!Array.isArray(rows)) continue
    let list = substitute(rows as Row[], refs)
    if (table === 'execution_results') {
      const r = q17Adjusted(c, list, refs)
      list = r.rows
      q17.push(...r.adjusted)
    }
    if (seqMap && table === 'dead_letters') list = list.map((r) => ({ ...r, stream_seq: seqMap(r.stream as string, r.stream_seq as number) }))
    if (seqMap && table === 'audit_log') list = list.map((r) => ({ ...r, stream_seq: seqMap('AUDIT', r.stream_seq as number) }))
    out[table] = list
  }
  return { tables: out, q17 }
}
