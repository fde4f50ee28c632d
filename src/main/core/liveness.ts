import type { PushEvent } from '../../shared/events'
import { parseTimestamp, toCanonical } from '../../shared/time'
import type { SubsystemFactory } from './console'
import { onlineWindowMs } from './online-window'
import type { CoreServices, Subsystem } from './services'

// Liveness watcher: going offline is a time-based transition (nothing arrives when a PC goes
// quiet), so the core announces it itself. An agent is online while now - last_seen_at ≤ W
// (CONVENTIONS "Online"); it goes offline at last_seen_at + W + 1 ms. One timer is armed for
// the earliest such instant among the online agents; when it fires, every agent whose crossing
// fell since the previous check is announced (`agents.changed` and `agents.offline`) and the
// timer is re-armed. Heartbeats only move last_seen_at later, so a wake-up can come early
// (nothing crossed: re-arm) but never late. A new or returning agent (the heartbeat projector
// emits `agents.changed`) arms the timer when none is armed.
//
// The judgement runs a grace period behind the clock: the heartbeat projector writes a beat up
// to its flush interval (1 s) after receiving it, with its receive time. Judging only instants
// at least `graceMs` old means a beat received before the crossing is already in the table, so
// an agent is never announced offline and then silently back (the projector only announces
// "online again" after a real gap of the window).

export const LIVENESS = 'liveness'

const MAX_TIMER_MS = 2_147_000_000 // setTimeout's 32-bit limit
const RETRY_MS = 5_000
/** Longer than the heartbeat projector's flush interval (1 s). */
export const DEFAULT_LIVENESS_GRACE_MS = 1_500

export interface LivenessOptions {
  /** The online window in ms (default: online-window.ts, 2 minutes). */
  windowMs?: number
  /** How far behind the clock crossings are judged (default 1.5 s). */
  graceMs?: number
}

export class LivenessWatcher implements Subsystem {
  private timer: NodeJS.Timeout | null = null
  private armedFor: number | null = null
  /** Crossings at or before this instant have been judged (or predate the start). */
  private judgedUpTo = 0
  private unsubscribe: (() => void) | null = null
  private stopped = false
  private checking = false
  /** Wake-ups so far (tests and the soak read it: it must stay far below one per heartbeat). */
  wakeups = 0

  constructor(
    private readonly core: CoreServices,
    private readonly opts: LivenessOptions = {},
  ) {}

  private get windowMs(): number {
    return this.opts.windowMs ?? onlineWindowMs()
  }

  private get graceMs(): number {
    return this.opts.graceMs ?? DEFAULT_LIVENESS_GRACE_MS
  }

  /** Baseline: agents already offline at start are not news. */
  start(): void {
    this.judgedUpTo = this.core.now()
    this.unsubscribe = this.core.bus.subscribe((e: PushEvent) => {
      if (e.type === 'agents.changed' && this.timer === null && !this.checking && !this.stopped) this.arm()
    })
    this.arm()
  }

  /** Announce the agents that went offline since the last judgement (up to now - grace).
   *  Returns the pc ids announced. */
  check(): string[] {
    const upTo = this.core.now() - this.graceMs
    const w = this.windowMs
    let crossed: string[] = []
    if (upTo > this.judgedUpTo) {
      // Offline at seen + w + 1 within (judgedUpTo, upTo]  ⇔  seen ∈ [judgedUpTo - w, upTo - w).
      crossed = (
        this.core.db
          .prepare('SELECT pc_id FROM agents WHERE last_seen_at >= ? AND last_seen_at < ? ORDER BY pc_id')
          .all(toCanonical(this.judgedUpTo - w), toCanonical(upTo - w)) as { pc_id: string }[]
      ).map((r) => r.pc_id)
      this.judgedUpTo = upTo
    }
    if (crossed.length) {
      this.checking = true // our own agents.changed must not re-arm from inside the emit
      try {
        this.core.bus.emit('agents.changed', { pc_ids: crossed })
        this.core.bus.emit('agents.offline', { pc_ids: crossed })
      } finally {
        this.checking = false
      }
    }
    return crossed
  }

  /** When the next agent not yet judged crosses the window (ms), or null when there is none. */
  nextCrossingAt(): number | null {
    const w = this.windowMs
    const r = this.core.db
      .prepare('SELECT MIN(last_seen_at) AS seen FROM agents WHERE last_seen_at >= ?')
      .get(toCanonical(this.judgedUpTo - w)) as { seen: string | null }
    const seen = r.seen === null ? null : parseTimestamp(r.seen)
    return seen === null ? null : seen + w + 1
  }

  /** The instant the timer is armed for (ms): a crossing plus the grace; or null. */
  get armedAt(): number | null {
    return this.armedFor
  }

  private arm(): void {
    this.clearTimer()
    if (this.stopped) return
    let at: number | null
    try {
      const crossing = this.nextCrossingAt()
      at = crossing === null ? null : crossing + this.graceMs
    } catch (e) {
      this.core.log.warn('liveness: reading the agents failed; retrying', e)
      at = this.core.now() + RETRY_MS
    }
    if (at === null) return
    this.armedFor = at
    this.timer = setTimeout(() => this.wake(), Math.min(Math.max(0, at - this.core.now()), MAX_TIMER_MS))
    this.timer.unref?.()
  }

  private wake(): void {
    this.timer = null
    this.armedFor = null
    this.wakeups++
    try {
      this.check()
    } catch (e) {
      this.core.log.warn('liveness: checking for agents gone offline failed; retrying', e)
      if (!this.stopped) {
        this.armedFor = this.core.now() + RETRY_MS
        this.timer = setTimeout(() => this.wake(), RETRY_MS)
        this.timer.unref?.()
      }
      return
    }
    this.arm()
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.armedFor = null
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.clearTimer()
    this.unsubscribe?.()
    this.unsubscribe = null
  }
}

export const livenessSubsystem: SubsystemFactory = {
  name: LIVENESS,
  async start(core) {
    const w = new LivenessWatcher(core)
    w.start()
    return w
  },
}
