import { scheduleJob, type Job } from 'node-schedule'
import { toCanonical } from '../../../shared/time'
import type { EventBus } from '../bus'
import type { Db } from '../db/open'
import type { Logger } from '../log'
import type { Subsystem } from '../services'
import { countText, decideCatchUp } from './catch-up'
import { isTick, toNodeScheduleRule, type NodeScheduleRule } from './cron'
import { fireTick, type Auditor, type Dispatcher, type FireDeps, type TickResult } from './fire'
import type { FleetReads, OpenedSource, ScheduleChange, ScheduleEntry, ScheduleSource } from './source'
import { isActive, parseScheduleEntry, type ParsedEntry, type ScheduleSpec } from './spec'
import {
  catchUpBaseline,
  claimTick,
  deleteState,
  ensureState,
  markInterrupted,
  readAllStates,
  readState,
  rearm,
  recordOutcome,
  setInvalid,
} from './state'
import { buildStateViews, buildUpcoming, type ScheduleStateView, type UpcomingFireView } from './views'

// The scheduler driver (backend reference §6.1–§6.2 plus Q10): one node-schedule job per
// active schedule of KV `schedules`, kept in step with the bucket live; each tick is claimed in
// SQLite before it is dispatched, and a start makes up for ticks missed while the console was
// closed according to the schedule's misfire policy (audited as `schedule_misfire`).

export interface DriverCore {
  db: Db
  log: Logger
  bus: EventBus
  /** Injected clock (ms). */
  now(): number
}

export interface SchedulerDriverOptions {
  core: DriverCore
  source: ScheduleSource
  fleet: FleetReads
  dispatcher: Dispatcher
  auditor: Auditor
  /** Arm node-schedule timers (default true). Tests turn them off and call tick(). */
  timers?: boolean
  /** node-schedule's scheduleJob (replaceable to test a refused rule). */
  scheduleJob?: (rule: NodeScheduleRule, onTick: (fireDate: Date) => void) => Job | null
}

/** Why tick() did nothing, besides the fire outcomes. */
export type DriverTickResult = TickResult | { outcome: 'inactive' | 'not_a_tick' }

interface Entry {
  key: string
  revision: number
  parsed: ParsedEntry
  /** Ticks are accepted (node-schedule job set, or timers off). */
  armed: boolean
  job: Job | null
  /** node-schedule refused a rule our parser accepted. */
  registerError: string | null
}

export class SchedulerDriver implements Subsystem {
  private readonly core: DriverCore
  private readonly opts: SchedulerDriverOptions
  private readonly fireDeps: FireDeps
  private readonly entries = new Map<string, Entry>()
  /** Per schedule, the tail of its tick queue: ticks of one schedule never overlap. */
  private readonly queues = new Map<string, Promise<unknown>>()
  private readonly inflight = new Set<Promise<unknown>>()
  private opened: OpenedSource | null = null
  private ready = false
  private stopped = false
  private early: ScheduleChange[] = []

  constructor(opts: SchedulerDriverOptions) {
    this.opts = opts
    this.core = opts.core
    this.fireDeps = {
      db: opts.core.db,
      now: () => opts.core.now(),
      log: opts.core.log,
      fleet: opts.fleet,
      dispatcher: opts.dispatcher,
      auditor: opts.auditor,
      disable: (spec) => this.persistDisabled(spec),
    }
  }

  async start(): Promise<void> {
    const { db, log } = this.core
    const interrupted = markInterrupted(db, this.core.now())
    if (interrupted.length) log.warn(`ticks interrupted by the last stop, not repeated: ${interrupted.join(', ')}`)
    this.opened = await this.opts.source.open((c) => this.onChange(c))
    const present = new Set<string>()
    for (const e of this.opened.initial) {
      present.add(e.key)
      this.entries.set(e.key, this.load(e))
    }
    // Schedules deleted while the console was closed leave no state behind.
    for (const row of readAllStates(db)) if (!present.has(row.schedule_id)) deleteState(db, row.schedule_id)
    for (const entry of this.entries.values()) {
      if (entry.parsed.ok && isActive(entry.parsed.spec)) this.catchUp(entry.parsed.spec)
      this.arm(entry)
    }
    this.ready = true
    const early = this.early
    this.early = []
    for (const c of early) this.apply(c)
    const active = [...this.entries.values()].filter((e) => e.armed).length
    log.info(`scheduler: ${this.entries.size} schedule(s), ${active} active`)
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const e of this.entries.values()) this.disarm(e)
    await this.opened?.close()
    await this.idle()
  }

  /**
   * Handle the tick at `tickMs` of a schedule: what node-schedule calls, and what tests call
   * with an injected clock. Ticks that are not the cron's (node-schedule after a DST fall-back,
   * the year field it ignores) and ticks already handled do nothing.
   */
  tick(key: string, tickMs: number): Promise<DriverTickResult> {
    const entry = this.entries.get(key)
    if (this.stopped || !entry?.armed || !entry.parsed.ok) return Promise.resolve({ outcome: 'inactive' })
    const spec = entry.parsed.spec
    if (!isTick(spec.schedule.cron, tickMs, spec.tz)) {
      this.core.log.debug(`schedule '${key}': ${toCanonical(tickMs)} is not one of its ticks; ignored`)
      return Promise.resolve({ outcome: 'not_a_tick' })
    }
    return this.enqueue(key, () => fireTick(this.fireDeps, spec, tickMs))
  }

  /** Resolves when no tick is running or queued. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight])
  }

  /** Registered (armed) right now: what the console will fire. */
  isArmed(key: string): boolean {
    return this.entries.get(key)?.armed ?? false
  }

  /** The current spec of a schedule, if it parses. */
  spec(key: string): ScheduleSpec | null {
    const p = this.entries.get(key)?.parsed
    return p?.ok ? p.spec : null
  }

  states(): ScheduleStateView[] {
    return buildStateViews([...this.entries.values()], readAllStates(this.core.db), this.core.now())
  }

  upcoming(limit: number, only?: string): UpcomingFireView[] {
    return buildUpcoming([...this.entries.values()], this.core.now(), limit, only)
  }

  // --- registration -------------------------------------------------------------------

  private load(e: ScheduleEntry): Entry {
    const entry: Entry = {
      key: e.key,
      revision: e.revision,
      parsed: parseScheduleEntry(e.key, e.value, e.revision),
      armed: false,
      job: null,
      registerError: null,
    }
    ensureState(this.core.db, e.key, this.core.now())
    this.recordValidity(entry)
    return entry
  }

  private recordValidity(entry: Entry): void {
    const reason = entry.parsed.ok ? entry.registerError : entry.parsed.reason
    if (setInvalid(this.core.db, entry.key, reason, this.core.now()) && reason) {
      this.core.log.warn(`schedule '${entry.key}' is invalid and will not fire: ${reason}`)
    }
  }

  private arm(entry: Entry): void {
    this.disarm(entry)
    if (this.stopped || !entry.parsed.ok || !isActive(entry.parsed.spec)) return
    const spec = entry.parsed.spec
    if (this.opts.timers !== false) {
      const rule = toNodeScheduleRule(spec.schedule.cron, spec.tz)
      const schedule = this.opts.scheduleJob ?? ((r, fn) => scheduleJob(r, fn) as Job | null)
      const job = schedule(rule, (fireDate) => {
        this.tick(entry.key, fireDate.getTime()).catch((e) => this.core.log.error(`schedule '${entry.key}': tick failed`, e))
      })
      if (!job) {
        // node-schedule returns null instead of throwing (CONVENTIONS pitfall).
        entry.registerError = `node-schedule rejected the rule '${rule.rule}' in time zone ${rule.tz}`
        this.recordValidity(entry)
        return
      }
      entry.job = job
    }
    entry.registerError = null
    entry.armed = true
    this.recordValidity(entry)
  }

  private disarm(entry: Entry): void {
    entry.job?.cancel()
    entry.job = null
    entry.armed = false
  }

  // --- live changes -------------------------------------------------------------------

  private onChange(c: ScheduleChange): void {
    if (this.stopped) return
    if (!this.ready) this.early.push(c)
    else this.apply(c)
  }

  private apply(c: ScheduleChange): void {
    const key = c.op === 'put' ? c.entry.key : c.key
    const known = this.entries.get(key)
    const revision = c.op === 'put' ? c.entry.revision : c.revision
    if (known && revision <= known.revision) return // already read by the initial load
    if (known) this.disarm(known)
    if (c.op === 'delete') {
      this.entries.delete(key)
      deleteState(this.core.db, key)
      this.core.log.info(`schedule '${key}' deleted`)
    } else {
      const entry = this.load(c.entry)
      this.entries.set(key, entry)
      // A live (re)registration: ticks before now were not the console's to fire.
      if (entry.parsed.ok && isActive(entry.parsed.spec)) rearm(this.core.db, key, this.core.now())
      this.arm(entry)
      this.core.log.info(`schedule '${key}' ${entry.armed ? 'registered' : 'stored, not registered'} (revision ${revision})`)
    }
    this.core.bus.emit('schedules.changed', { ids: [key] })
  }

  /** Auto-disable: the stored object with enabled=false, extra keys kept, compare-and-set. */
  private async persistDisabled(spec: ScheduleSpec): Promise<boolean> {
    const value = JSON.stringify({ ...spec.raw, enabled: false })
    const ok = await this.opts.source.update(spec.key, value, spec.revision)
    if (!ok) this.core.log.info(`schedule '${spec.key}' changed before it could be auto-disabled; left as is`)
    return ok
  }

  // --- catch-up -----------------------------------------------------------------------

  private catchUp(spec: ScheduleSpec): void {
    const { db } = this.core
    const nowMs = this.core.now()
    const s = spec.schedule
    const decision = decideCatchUp({
      cron: s.cron,
      tz: spec.tz,
      lastFireMs: catchUpBaseline(readState(db, spec.key)),
      misfirePolicy: spec.misfire,
      graceMs: spec.misfireGraceMs,
      startingDeadlineMs: spec.startingDeadlineMs,
      nowMs,
    })
    if (decision.action === 'none') return
    const audit = () =>
      this.opts.auditor.audit('schedule_misfire', spec.key, {
        job_id: s.job_id,
        decision: decision.action,
        policy: spec.misfire,
        missed_count: decision.missedCount,
        missed_count_capped: decision.missedCountCapped,
        missed_tick: toCanonical(decision.missedTickMs),
        reason: decision.action === 'skip' ? decision.reason : undefined,
      })
    if (decision.action === 'skip') {
      if (!claimTick(db, spec.key, decision.missedTickMs, nowMs, 'misfire_skipped')) return
      recordOutcome(db, spec.key, decision.missedTickMs, 'misfire_skipped', decision.reason, nowMs)
      this.core.log.info(`schedule '${spec.key}': missed tick(s) not made up for: ${decision.reason}`)
      audit()
      return
    }
    const note = `catch-up: one fire for ${countText(decision)} tick(s) missed while the console was closed`
    this.core.log.info(`schedule '${spec.key}': ${note}`)
    audit()
    void this.enqueue(spec.key, () => fireTick(this.fireDeps, spec, decision.missedTickMs, note))
  }

  private enqueue(key: string, run: () => Promise<TickResult>): Promise<TickResult> {
    const prev = this.queues.get(key) ?? Promise.resolve()
    const p = prev.then(run, run)
    const tail = p.then(
      (r) => {
        if (r.outcome !== 'duplicate') this.core.bus.emit('schedules.changed', { ids: [key] })
      },
      (e) => this.core.log.error(`schedule '${key}': tick failed`, e),
    )
    this.queues.set(key, tail)
    this.inflight.add(tail)
    void tail.finally(() => {
      this.inflight.delete(tail)
      if (this.queues.get(key) === tail) this.queues.delete(key)
    })
    return p
  }
}
