import type { ScriptOutcome } from './interpreter'

// A simulated child process: it "exits" when its script's duration has passed, unless a
// kill or the timeout comes first (kanade-protocol.md §7.6 races exit vs kill vs timeout).

export type ExitReason = 'exit' | 'killed' | 'timeout' | 'aborted'

export interface ProcessEnd {
  reason: ExitReason
  /** Milliseconds from spawn to the end. */
  elapsedMs: number
}

const MAX_TIMER_MS = 2_147_483_647

export class SimProcess {
  readonly ended: Promise<ProcessEnd>
  private resolveEnd!: (end: ProcessEnd) => void
  private timers: ReturnType<typeof setTimeout>[] = []
  private done = false

  constructor(
    readonly outcome: ScriptOutcome,
    readonly timeoutMs: number,
    private readonly now: () => number,
    readonly spawnedAt = now(),
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnd = resolve))
    this.timers.push(setTimeout(() => this.finish('exit'), Math.min(outcome.durationMs, MAX_TIMER_MS)))
    if (timeoutMs < outcome.durationMs) {
      this.timers.push(setTimeout(() => this.finish('timeout'), Math.min(timeoutMs, MAX_TIMER_MS)))
    }
  }

  get running(): boolean {
    return !this.done
  }

  /** A message on kill.<exec_id>. */
  kill(): void {
    this.finish('killed')
  }

  /** The simulator stops: end without a result. */
  abort(): void {
    this.finish('aborted')
  }

  private finish(reason: ExitReason): void {
    if (this.done) return
    this.done = true
    for (const t of this.timers) clearTimeout(t)
    const elapsed = this.now() - this.spawnedAt
    // A timeout fires at exactly its limit, whatever the timer's drift.
    const elapsedMs = reason === 'timeout' ? this.timeoutMs : reason === 'exit' ? this.outcome.durationMs : elapsed
    this.resolveEnd({ reason, elapsedMs })
  }
}
