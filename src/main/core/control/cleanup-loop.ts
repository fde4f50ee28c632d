import { expirePendingExecutions } from '../projectors/cleanup'
import type { CoreServices } from '../services'
import { controlTuning } from './tuning'

// kanade 0.30.x cleanup loop (backend §7): every 5 minutes, first run immediate, pending
// executions older than one hour become `expired`.

export class CleanupLoop {
  private timer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(private readonly core: CoreServices) {}

  start(): void {
    this.runOnce()
  }

  /** One pass; returns the number of executions expired. */
  runOnce(): number {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    let n = 0
    try {
      n = expirePendingExecutions(this.core.db, this.core.now())
      if (n) this.core.log.info(`cleanup: ${n} pending execution(s) older than 1 h marked expired`)
    } catch (e) {
      this.core.log.warn('cleanup pass failed; retrying at the next period', e)
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.runOnce(), controlTuning.cleanupIntervalMs)
      this.timer.unref?.()
    }
    return n
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
