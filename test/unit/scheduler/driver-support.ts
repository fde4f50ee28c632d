import { EventBus } from '../../../src/main/core/bus'
import { parseGroups } from '../../../src/main/core/control/membership'
import { silentLogger } from '../../../src/main/core/log'
import { SchedulerDriver, type SchedulerDriverOptions } from '../../../src/main/core/scheduler/driver'
import type { DispatchRequest } from '../../../src/main/core/scheduler/fire'
import type { ScheduleChange, ScheduleSource } from '../../../src/main/core/scheduler/source'
import { toCanonical } from '../../../src/shared/time'
import { decodeManifest, type JsonValue, type Manifest } from '../../../src/shared/wire'
import { tempDb } from '../../helpers/db'

// In-memory stand-ins for the driver's KV side, exec pipeline and audit publisher, over a
// real migrated SQLite file, so driver tests run with an injected clock and no broker.

/** A KV bucket in memory: revisions grow per write, changes go to the open watcher. */
export class MemorySchedules implements ScheduleSource {
  rev = 0
  readonly values = new Map<string, { value: string; revision: number }>()
  private listeners = new Set<(c: ScheduleChange) => void>()

  put(key: string, value: object | string): number {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    const revision = ++this.rev
    this.values.set(key, { value: text, revision })
    for (const l of this.listeners) l({ op: 'put', entry: { key, value: text, revision } })
    return revision
  }

  delete(key: string): void {
    const revision = ++this.rev
    this.values.delete(key)
    for (const l of this.listeners) l({ op: 'delete', key, revision })
  }

  json(key: string): Record<string, unknown> {
    return JSON.parse(this.values.get(key)!.value) as Record<string, unknown>
  }

  async open(onChange: (c: ScheduleChange) => void) {
    this.listeners.add(onChange)
    const initial = [...this.values.entries()].map(([key, v]) => ({ key, ...v }))
    return { initial, close: async () => void this.listeners.delete(onChange) }
  }

  async update(key: string, value: string, revision: number): Promise<boolean> {
    if (this.values.get(key)?.revision !== revision) return false
    this.put(key, value)
    return true
  }
}

export function manifest(id: string, version = '1.0.0'): Manifest {
  return decodeManifest({ id, version, execute: { shell: 'powershell', script: 'echo hi', timeout: '30s' } })
}

export interface Harness {
  db: ReturnType<typeof tempDb>['db']
  clock: { ms: number }
  schedules: MemorySchedules
  manifests: Map<string, Manifest>
  /** pc → raw agent_groups value (either stored shape). */
  groups: Map<string, string>
  dispatched: DispatchRequest[]
  audits: { action: string; target: string; payload: Record<string, JsonValue | undefined> }[]
  /** Makes the next dispatches throw this message. */
  failDispatch: string | null
  driver: SchedulerDriver
  /** A new driver over the same SQLite file and KV (a console restart); the old one must be stopped. */
  restart(opts?: DriverKnobs): SchedulerDriver
  agent(pc: string, lastSeenMs: number | null, lastHeartbeatMs?: number | null): void
  result(pc: string, jobId: string, exitCode: number | null, finishedMs: number | null): void
  cleanup(): void
}

export type DriverKnobs = Pick<SchedulerDriverOptions, 'timers' | 'scheduleJob'> & { clock?: () => number }

export function harness(startMs: number, opts: DriverKnobs = {}): Harness {
  const t = tempDb()
  let n = 0
  const h: Harness = {
    db: t.db,
    clock: { ms: startMs },
    schedules: new MemorySchedules(),
    manifests: new Map(),
    groups: new Map(),
    dispatched: [],
    audits: [],
    failDispatch: null,
    driver: null as unknown as SchedulerDriver,
    restart(o = opts) {
      h.driver = new SchedulerDriver({
        core: { db: t.db, log: silentLogger, bus: new EventBus(), now: o.clock ?? (() => h.clock.ms) },
        source: h.schedules,
        fleet: {
          manifest: async (id) => h.manifests.get(id) ?? null,
          memberships: async () => new Map([...h.groups].map(([pc, raw]) => [pc, parseGroups(raw)])),
        },
        dispatcher: {
          dispatch: async (r) => {
            if (h.failDispatch) throw new Error(h.failDispatch)
            h.dispatched.push(r)
            return { exec_id: `exec-${++n}` }
          },
        },
        auditor: { audit: (action, target, payload) => void h.audits.push({ action, target, payload }) },
        timers: o.timers ?? false,
        scheduleJob: o.scheduleJob,
      })
      return h.driver
    },
    agent(pc, lastSeenMs, lastHeartbeatMs = lastSeenMs) {
      t.db
        .prepare(
          `INSERT INTO agents (pc_id, last_heartbeat, last_seen_at) VALUES (?, ?, ?)
           ON CONFLICT (pc_id) DO UPDATE SET last_heartbeat = excluded.last_heartbeat, last_seen_at = excluded.last_seen_at`,
        )
        .run(pc, lastHeartbeatMs === null ? null : toCanonical(lastHeartbeatMs), lastSeenMs === null ? null : toCanonical(lastSeenMs))
    },
    result(pc, jobId, exitCode, finishedMs) {
      const id = `r-${++n}`
      t.db
        .prepare(
          `INSERT INTO execution_results (result_id, request_id, pc_id, exit_code, started_at, finished_at, job_id)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, id, pc, exitCode, toCanonical(finishedMs ?? startMs), finishedMs === null ? null : toCanonical(finishedMs), jobId)
    },
    cleanup() {
      t.cleanup()
    },
  }
  h.restart()
  return h
}

/** Epoch ms of an ISO instant. */
export const at = (iso: string): number => Date.parse(iso)
