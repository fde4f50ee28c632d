// Bad input through the real pipeline (issue 10): random and mutated payloads are published on
// every projected subject of a live broker while the console runs. Every stream message ends
// as a row or a dead letter, every heartbeat as an agents row or a dead letter, and the
// projectors are still running afterwards. (test/unit/property/projectors.test.ts checks the
// same rule on the apply path alone, with many more cases.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { loadConfig } from '../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../src/main/core/console'
import { silentLogger } from '../../src/main/core/log'
import { projectorsSubsystem, type ProjectorsHandle } from '../../src/main/core/projectors'
import { resultRowKey } from '../../src/main/core/projectors/legacy-id'
import { decodeEventStarted, decodeExecResult, decodeHeartbeat, decodeHwInventory, decodeJsonBody, tryDecode } from '../../src/shared/wire'
import { wireVectors } from '../unit/wire/fixtures'
import { mutatedJson, mutatedText } from '../unit/property/arbitraries'
import { dbPathIn, startFaultEnv, stopFaultEnv, waitFor, type FaultEnv } from './support'

let env: FaultEnv | undefined
let app: RunningConsole | null = null

beforeAll(async () => {
  env = await startFaultEnv('kc-bad-')
})
afterAll(async () => {
  await app?.stop()
  await stopFaultEnv(env)
})

const enc = new TextEncoder()
const PER_SUBJECT = 150

function bodies(prefix: string, seed: number): Uint8Array[] {
  const base = wireVectors()
    .filter((v) => v.name.startsWith(prefix) && v.encoding === 'json')
    .map((v) => v.payload)
  const arb = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...base).map((p) => enc.encode(JSON.stringify(p))) },
    { weight: 4, arbitrary: mutatedJson(base).map((p) => enc.encode(JSON.stringify(p) ?? 'undefined')) },
    { weight: 2, arbitrary: mutatedText(base.map((p) => JSON.stringify(p))).map((t) => enc.encode(t)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
  )
  return fc.sample(arb, { numRuns: PER_SUBJECT, seed })
}

describe('random and mutated payloads on every projected subject', () => {
  it('each ends as a row or a dead letter; the projectors keep running', { timeout: 120_000 }, async () => {
    const { nats, nc, data } = env!
    const config = loadConfig({ 'nats-url': nats.url, 'data-dir': data.dir, db: dbPathIn(data.dir) }, {})
    app = await startConsole(config, { http: false, subsystems: [projectorsSubsystem], log: silentLogger })
    const db = app.core.db
    const handle = app.core.subsystems.get('projectors') as ProjectorsHandle
    await waitFor(() => handle.status().every((s) => s.state === 'running'), (ok) => ok, 'projectors running')
    const js = nc.jetstream()
    const seed = Date.now() % 100_000

    const streams = [
      { stream: 'RESULTS', projector: 'results', subject: (i: number) => `results.req-${i}`, datas: bodies('exec-result/', seed) },
      { stream: 'EVENTS', projector: 'events', subject: (i: number) => `events.started.e${i}.pc${i}`, datas: bodies('event-started/', seed + 1) },
      { stream: 'AUDIT', projector: 'audit', subject: (i: number) => `audit.operator.x.t${i}`, datas: bodies('audit/', seed + 2) },
      { stream: 'INVENTORY', projector: 'inventory', subject: (i: number) => `inventory.pc-${i}.${i % 5 ? 'hw' : 'sw'}`, datas: bodies('hw-inventory/', seed + 3) },
    ]
    const published = new Map<string, { seq: number; subject: string; data: Uint8Array }[]>()
    for (const s of streams) {
      const list: { seq: number; subject: string; data: Uint8Array }[] = []
      for (const [i, data] of s.datas.entries()) list.push({ seq: (await js.publish(s.subject(i), data)).seq, subject: s.subject(i), data })
      published.set(s.projector, list)
    }
    const beats = bodies('heartbeat/', seed + 4)
    beats.forEach((b, i) => nc.publish(`heartbeat.hb-${i}`, b))
    await nc.flush()

    const offset = (p: string) => Number(db.prepare('SELECT last_seq FROM projector_offsets WHERE projector = ?').pluck().get(p) ?? 0)
    for (const s of streams) {
      const last = published.get(s.projector)!.at(-1)!.seq
      await waitFor(() => offset(s.projector), (o) => o >= last, `${s.projector} to reach ${last} (seed ${seed})`, 60_000)
    }
    const dead = (p: string, seq: number) => db.prepare('SELECT 1 FROM dead_letters WHERE projector = ? AND stream_seq = ?').get(p, seq) !== undefined
    const has = (sql: string, ...a: unknown[]) => db.prepare(sql).get(...a) !== undefined
    const missing: string[] = []
    for (const m of published.get('results')!) {
      const r = tryDecode((b) => decodeJsonBody('ExecResult', decodeExecResult, b as Uint8Array), m.data)
      if (!dead('results', m.seq) && !(r.ok && has('SELECT 1 FROM execution_results WHERE result_id = ?', resultRowKey(r.value)))) missing.push(`results ${m.seq}`)
    }
    for (const m of published.get('events')!) {
      const e = tryDecode((b) => decodeJsonBody('EventStarted', decodeEventStarted, b as Uint8Array), m.data)
      if (!dead('events', m.seq) && !(e.ok && has('SELECT 1 FROM execution_results WHERE result_id = ?', e.value.result_id))) missing.push(`events ${m.seq}`)
    }
    for (const m of published.get('audit')!) {
      if (!dead('audit', m.seq) && !has('SELECT 1 FROM audit_log WHERE stream_seq = ?', m.seq)) missing.push(`audit ${m.seq}`)
    }
    for (const m of published.get('inventory')!) {
      const inv = tryDecode((b) => decodeJsonBody('HwInventory', decodeHwInventory, b as Uint8Array), m.data)
      const row = inv.ok && m.subject.endsWith('.hw') && has("SELECT 1 FROM inventory_facts WHERE pc_id = ? AND job_id = 'legacy-hw'", inv.value.pc_id)
      if (!dead('inventory', m.seq) && !row) missing.push(`inventory ${m.seq}`)
    }
    expect(missing, `seed ${seed}`).toEqual([])

    // Heartbeats: what decodes is an agents row, the rest are dead letters.
    const decoded = beats.map((b) => tryDecode((raw) => decodeJsonBody('Heartbeat', decodeHeartbeat, raw as Uint8Array), b))
    const pcs = new Set(decoded.flatMap((d) => (d.ok ? [d.value.pc_id] : [])))
    const badBeats = decoded.filter((d) => !d.ok).length
    await waitFor(
      () => Number(db.prepare("SELECT count(*) FROM dead_letters WHERE projector = 'heartbeats'").pluck().get()),
      (n) => n >= badBeats,
      'the bad heartbeats dead-lettered',
      30_000,
    )
    await waitFor(() => pcs.size === 0 || db.prepare('SELECT count(*) FROM agents').pluck().get() === pcs.size, (ok) => ok, 'the good heartbeats as agents')
    expect(new Set(db.prepare('SELECT pc_id FROM agents').pluck().all())).toEqual(pcs)
    expect(Number(db.prepare("SELECT count(*) FROM dead_letters WHERE projector = 'heartbeats'").pluck().get())).toBe(badBeats)

    // Still running, nothing owed, nothing left unacked.
    expect(handle.status().filter((s) => s.state !== 'running').map((s) => `${s.name}: ${s.state} ${s.last_error}`)).toEqual([])
    expect(Number(db.prepare('SELECT count(*) FROM projector_retries').pluck().get())).toBe(0)
    const jsm = await nc.jetstreamManager()
    for (const s of streams) {
      const ci = await jsm.consumers.info(s.stream, handle.status().find((x) => x.name === s.projector)!.consumer!)
      expect(ci.num_ack_pending + ci.num_pending, `${s.stream} unacked`).toBe(0)
    }
  })
})
