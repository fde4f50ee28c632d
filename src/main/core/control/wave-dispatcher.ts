import { parseTimestamp, toCanonical } from '../../../shared/time'
import type { CoreServices, Subsystem } from '../services'
import { subsystem } from '../services'
import type { ExecutionProgress } from '../../../shared/events'
import { dueWaves, failInterruptedExecutions, nextDueAt, waveFailed, waveSucceeded, type DueWave } from './exec-store'
import { flushWithin, utf8 } from './nats'
import { controlTuning } from './tuning'

// Publishes the delayed waves of rollouts from SQLite (Q10): one timer armed for the earliest
// pending wave; overdue waves (the console was stopped) go out as soon as it starts. A wave
// that cannot be published stays pending and is retried.

const MAX_TIMER_MS = 2_147_000_000 // setTimeout's 32-bit limit

export class WaveDispatcher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  private stopped = false

  constructor(private readonly core: CoreServices) {}

  /** Mark execs a stopped console left mid-publish as failed, then publish what is due. */
  start(): void {
    const interrupted = failInterruptedExecutions(this.core.db)
    if (interrupted.length) this.core.log.warn(`marked ${interrupted.length} interrupted exec(s) failed`, interrupted)
    this.nudge()
  }

  /** Re-check the table now (a new exec added waves, or a wave was cancelled). */
  nudge(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.run().finally(() => {
      this.running = null
      if (this.again && !this.stopped) {
        this.again = false
        this.nudge()
      }
    })
  }

  /** Resolves when the current pass (if any) has finished; for tests and stop(). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.idle()
  }

  private async run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    let retry = false
    try {
      retry = await this.publishDue()
    } catch (e) {
      this.core.log.error('wave dispatcher pass failed', e)
      retry = true
    }
    if (!this.stopped) this.arm(retry)
  }

  /** Publish every due wave in order; true when one failed and needs a retry. */
  private async publishDue(): Promise<boolean> {
    const core = this.core
    const due = dueWaves(core.db, toCanonical(core.now()))
    if (!due.length) return false
    const nc = core.nats?.nc
    if (!nc || nc.isClosed() || !core.nats?.connected) {
      for (const w of due) waveFailed(core.db, w, 'not connected to NATS')
      this.announce(due)
      return true
    }
    let failed = false
    const touched: DueWave[] = []
    for (const w of due) {
      if (this.stopped) break
      try {
        nc.publish(w.subject, utf8(w.command_json))
        await flushWithin(nc)
        waveSucceeded(core.db, w, toCanonical(core.now()))
        core.log.info(`published wave ${w.wave_index} of exec ${w.exec_id} on ${w.subject}`)
      } catch (e) {
        failed = true
        waveFailed(core.db, w, (e as Error).message)
        core.log.warn(`wave ${w.wave_index} of exec ${w.exec_id} on ${w.subject} failed; will retry`, e)
      }
      touched.push(w)
    }
    this.announce(touched)
    return failed
  }

  /** A wave went out (or failed an attempt): the progress board shows waves, tell it. */
  private announce(waves: DueWave[]): void {
    const read = this.core.db.prepare(
      'SELECT exec_id, job_id, status, target_count, success_count, failure_count FROM executions WHERE exec_id = ?',
    )
    for (const id of new Set(waves.map((w) => w.exec_id))) {
      const row = read.get(id) as ExecutionProgress | undefined
      if (row) this.core.bus.emit('execution.progress', row)
    }
  }

  private arm(retry: boolean): void {
    const next = nextDueAt(this.core.db)
    if (next === null) return
    const dueMs = parseTimestamp(next) ?? this.core.now()
    let wait = Math.max(0, dueMs - this.core.now())
    if (retry) wait = Math.max(wait, controlTuning.waveRetryMs)
    this.timer = setTimeout(() => this.nudge(), Math.min(wait, MAX_TIMER_MS))
    this.timer.unref?.()
  }
}

export interface ControlHandle extends Subsystem {
  waves: WaveDispatcher
}

/** Tell the running dispatcher (if the control subsystem runs) that waves were added. */
export function nudgeWaveDispatcher(core: CoreServices): void {
  subsystem<ControlHandle>(core, 'control')?.waves.nudge()
}
