// The projection writer thread (built out/main/projection-writer.js, its own connection to
// the database file): it writes exactly what the inline path writes (every fixture case it
// can run), keeps SQLite's error codes so the runner's busy / storage rules still hold,
// follows manifest changes, and survives the death of its thread.
import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { isBusyError, openDatabase } from '../../../src/main/core/db/open'
import { silentLogger } from '../../../src/main/core/log'
import { isStorageError } from '../../../src/main/core/projectors/apply'
import { expirePendingExecutions } from '../../../src/main/core/projectors/cleanup'
import { ManifestCache } from '../../../src/main/core/projectors/manifests'
import { resultsProjector } from '../../../src/main/core/projectors/results'
import type { ApplyEnv, IncomingMessage, OutcomeKind, StreamProjector } from '../../../src/main/core/projectors/types'
import { WorkerWriter } from '../../../src/main/core/projectors/worker-writer'
import { InlineWriter, type WriteOptions } from '../../../src/main/core/projectors/writer'
import { parseTimestamp } from '../../../src/shared/time'
import { tempDb } from '../../helpers/db'
import { expectedTables, expectTables, loadProjectorCases, PROJECTOR_BY_STREAM, seedGiven, standInExec, stepBody } from '../../unit/projectors/support/cases'

const NOW = Date.parse('2026-05-20T12:00:00Z')
const enc = new TextEncoder()
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function writerFor(env: ApplyEnv, manifests: ManifestCache, opts: { busyTimeoutMs?: number } = {}) {
  const w = await WorkerWriter.start(env.db, manifests, new InlineWriter(env), silentLogger, { now: () => NOW, ...opts })
  expect(w, 'the writer thread starts (out/main/projection-writer.js is built by `npm test`)').not.toBeNull()
  cleanups.push(() => w!.stop())
  return w!
}

function setup(jobs: Record<string, unknown> = {}) {
  const t = tempDb()
  cleanups.push(t.cleanup)
  const manifests = ManifestCache.of(jobs, silentLogger)
  const env: ApplyEnv = { db: t.db, now: () => NOW, manifests, log: silentLogger }
  return { ...t, env, manifests }
}

const opts = (over: Partial<WriteOptions> = {}): WriteOptions => ({ maxDeliver: 10, consumer: 'test', budgetMs: 50, maxMessages: 1000, ...over })

let seq = 0
function result(over: Record<string, unknown> = {}): IncomingMessage {
  seq++
  const body = {
    result_id: `r-${seq}`, request_id: `q-${seq}`, exec_id: null, pc_id: `pc-${seq}`, exit_code: 0, stdout: '{"ram":16}', stderr: '',
    started_at: '2026-05-20T12:00:00Z', finished_at: '2026-05-20T12:00:01Z', manifest_id: 'echo', ...over,
  }
  return { stream: 'RESULTS', seq, subject: `results.${body.pc_id}`, data: enc.encode(JSON.stringify(body)), deliveries: 1 }
}

describe('projection writer thread', () => {
  const cases = loadProjectorCases()
  // A function hook cannot cross threads: cases that fail applies on purpose run inline only.
  const runnable = cases.filter((c) => !c.steps.some((s) => s.apply_fails_on_deliveries?.length))

  it('runs all but the injected-failure cases of projector-cases.json', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(cases.length - 3)
    expect(runnable.length).toBeGreaterThanOrEqual(30)
  })

  for (const c of runnable) {
    it(`${c.id}: writes what the fixture expects`, async () => {
      const t = setup()
      const kv = seedGiven(t.db, c)
      for (const [k, v] of Object.entries(kv.jobs ?? {})) t.manifests.put(k, v)
      const writer = await writerFor(t.env, t.manifests)
      expect(writer.kind).toBe('worker')
      const refs: Record<string, string> = {}
      for (const step of c.steps) {
        if (step.op === 'deliver') {
          const msg = { stream: step.stream!, seq: step.stream_seq!, subject: step.subject!, data: stepBody(step, refs), deliveries: step.delivery ?? 1 }
          const r = await writer.apply(PROJECTOR_BY_STREAM[step.stream!], [msg], opts({ maxDeliver: step.max_deliver ?? 10 }))
          const kind: OutcomeKind = r.outcomes[0].kind
          if (step.applied !== undefined) expect(kind === 'applied', `${c.id}: applied (${kind})`).toBe(step.applied)
        } else if (step.op === 'core') {
          await writer.heartbeats([{ subject: step.subject!, data: stepBody(step, refs), receivedAt: NOW }])
        } else if (step.op === 'cleanup') {
          expirePendingExecutions(t.db, parseTimestamp(step.now!)!)
        } else {
          const execId = `exec-${c.id.toLowerCase()}`
          standInExec(t.db, step, kv, execId)
          if (step.exec_id_ref) refs[step.exec_id_ref] = execId
        }
      }
      expectTables(t.db, expectedTables(c, refs).tables, c.id)
    })
  }

  it('returns the change feed and offsets of the committed batch', async () => {
    const t = setup({ echo: { id: 'echo', version: '1.0.0', execute: { shell: 'powershell', script: 'x', timeout: '30s' } } })
    t.db.prepare(`INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count) VALUES ('e1', 'echo', '1.0.0', 'op', 2)`).run()
    const writer = await writerFor(t.env, t.manifests)
    const msgs = [result({ exec_id: 'e1' }), result({ exec_id: 'e1', exit_code: 3 }), { ...result(), data: enc.encode('{nope') }]
    const r = await writer.apply(resultsProjector as StreamProjector, msgs, opts())
    expect(r.consumed).toBe(3)
    expect(r.outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'dead_letter'])
    expect(r.lastSeq).toBe(msgs[2].seq)
    expect([...r.changes.resultIds].sort()).toEqual([`r-${msgs[0].seq}`, `r-${msgs[1].seq}`].sort())
    expect(r.changes.executions.get('e1')).toMatchObject({ status: 'completed', success_count: 1, failure_count: 1 })
    expect(r.changes.deadLetters).toHaveLength(1)
    const off = t.db.prepare("SELECT last_seq FROM projector_offsets WHERE projector = 'results'").get() as { last_seq: number }
    expect(off.last_seq).toBe(msgs[2].seq)
    // recorded_at comes from the console's clock, passed with the batch.
    const rec = t.db.prepare('SELECT DISTINCT recorded_at FROM execution_results').all()
    expect(rec).toEqual([{ recorded_at: '2026-05-20T12:00:00.000Z' }])
  })

  it('writes heartbeats coalesced per PC, dead-letters a bad one, returns the agents that changed', async () => {
    const t = setup()
    const writer = await writerFor(t.env, t.manifests)
    const beat = (over: Record<string, unknown>) =>
      enc.encode(JSON.stringify({ pc_id: 'pc-hb', hostname: 'HB-1', os_family: 'windows', agent_version: '0.30.0', at: '2026-05-20T11:59:59Z', ...over }))
    const changes = await writer.heartbeats([
      { subject: 'heartbeat.pc-hb', data: beat({}), receivedAt: NOW - 1000 },
      { subject: 'heartbeat.pc-hb', data: beat({ hostname: 'HB-2', at: '2026-05-20T12:00:00Z' }), receivedAt: NOW },
      { subject: 'heartbeat.bad', data: enc.encode('not json'), receivedAt: NOW },
    ])
    expect([...changes.agentPcIds]).toEqual(['pc-hb'])
    expect(changes.deadLetters).toHaveLength(1)
    expect(t.db.prepare('SELECT pc_id, hostname, last_seen_at FROM agents').all()).toEqual([
      { pc_id: 'pc-hb', hostname: 'HB-2', last_seen_at: '2026-05-20T12:00:00.000Z' },
    ])
    expect((t.db.prepare("SELECT count(*) AS n FROM dead_letters WHERE projector = 'heartbeats'").get() as { n: number }).n).toBe(1)
  })

  it('follows manifest changes made after it started (inventory hints)', async () => {
    const t = setup()
    const writer = await writerFor(t.env, t.manifests)
    await writer.apply(resultsProjector as StreamProjector, [result({ manifest_id: 'inv', pc_id: 'pc-before' })], opts())
    t.manifests.put('inv', {
      id: 'inv', version: '1.0.0', execute: { shell: 'powershell', script: 'x', timeout: '30s' },
      inventory: { display: [{ field: 'ram', label: 'RAM' }] },
    })
    await writer.apply(resultsProjector as StreamProjector, [result({ manifest_id: 'inv', pc_id: 'pc-after' })], opts())
    t.manifests.delete('inv')
    await writer.apply(resultsProjector as StreamProjector, [result({ manifest_id: 'inv', pc_id: 'pc-gone' })], opts())
    expect(t.db.prepare('SELECT pc_id FROM inventory_facts').all()).toEqual([{ pc_id: 'pc-after' }])
  })

  it('rejects with SQLITE_BUSY while another connection holds the write lock, then writes', async () => {
    const t = setup()
    const writer = await writerFor(t.env, t.manifests, { busyTimeoutMs: 50 })
    const other = openDatabase(t.path)
    cleanups.push(() => void other.close())
    other.exec('BEGIN IMMEDIATE')
    const err = await writer.apply(resultsProjector as StreamProjector, [result()], opts()).catch((e: unknown) => e)
    expect(isBusyError(err), String(err)).toBe(true)
    other.exec('ROLLBACK')
    const r = await writer.apply(resultsProjector as StreamProjector, [result()], opts())
    expect(r.outcomes[0].kind).toBe('applied')
    expect((t.db.prepare('SELECT count(*) AS n FROM execution_results').get() as { n: number }).n).toBe(1)
  })

  it('rejects with SQLITE_FULL when its connection cannot grow the file, commits nothing', async () => {
    const t = setup()
    const writer = await writerFor(t.env, t.manifests)
    const pages = Number(await writer.pragma('page_count'))
    await writer.pragma(`max_page_count = ${pages}`)
    const big = Array.from({ length: 200 }, () => result({ stdout: 'x'.repeat(2000) }))
    const err = await writer.apply(resultsProjector as StreamProjector, big, opts()).catch((e: unknown) => e)
    expect(isStorageError(err), String(err)).toBe(true)
    expect((t.db.prepare('SELECT count(*) AS n FROM execution_results').get() as { n: number }).n).toBe(0)
    await writer.pragma('max_page_count = 1073741823')
    const r = await writer.apply(resultsProjector as StreamProjector, big, opts({ budgetMs: 1000 }))
    expect(r.consumed).toBe(200)
  })

  it('starts a new thread after its thread dies; the lost batch fails, nothing half-written', async () => {
    const t = setup()
    const writer = await writerFor(t.env, t.manifests)
    const first = (writer as unknown as { worker: Worker }).worker
    const pending = writer.apply(resultsProjector as StreamProjector, [result()], opts())
    await first.terminate()
    const outcome = await pending.then(
      () => 'applied',
      (e: Error) => e.message,
    )
    // Either the batch won the race and committed, or it failed whole.
    const rows = (t.db.prepare('SELECT count(*) AS n FROM execution_results').get() as { n: number }).n
    if (outcome === 'applied') expect(rows).toBe(1)
    else expect([outcome, rows]).toEqual([expect.stringMatching(/writer thread stopped/), 0])
    const r = await writer.apply(resultsProjector as StreamProjector, [result()], opts())
    expect(r.outcomes[0].kind).toBe('applied')
    expect(writer.kind).toBe('worker')
    expect((writer as unknown as { worker: Worker }).worker).not.toBe(first)
  })

  it('refuses a function hook (failApply runs inline only)', async () => {
    const t = setup()
    const writer = await writerFor(t.env, t.manifests)
    await expect(writer.apply(resultsProjector as StreamProjector, [result()], opts({ failApply: () => true }))).rejects.toThrow(/inline writer/)
  })
})
