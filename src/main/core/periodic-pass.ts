// The timer and bookkeeping shared by the maintenance passes (reaper, retention): one pass at a
// time, first shortly after start, then an interval after each pass ends, failures kept.
import type { Logger } from './log'

export interface PeriodicPass<R> {
  lastReport: R | null
  lastError: string | null
  /** Run a pass now (the periodic one is skipped while it runs). */
  runNow(): Promise<R | null>
  stop(): Promise<void>
}

export interface PeriodicPassOptions<R> {
  /** Names the pass in the failure log line ("<name> pass failed"). */
  name: string
  log: Logger
  firstRunDelayMs: number
  intervalMs: number
  /** One pass; null means "skipped" and leaves lastReport/lastError as they were. */
  pass(shouldStop: () => boolean): Promise<R | null>
  /** After a completed pass has been recorded (a throw here counts as a failed pass). */
  onReport?(report: R): void
}

export function startPeriodicPass<R>(o: PeriodicPassOptions<R>): PeriodicPass<R> {
  let stopped = false
  let running: Promise<R | null> | null = null
  let timer: NodeJS.Timeout | null = null
  const handle: PeriodicPass<R> = {
    lastReport: null,
    lastError: null,
    runNow() {
      if (running) return running
      running = (async () => {
        try {
          const r = await o.pass(() => stopped)
          if (r === null) return null
          handle.lastReport = r
          handle.lastError = null
          o.onReport?.(r)
          return r
        } catch (e) {
          handle.lastError = e instanceof Error ? e.message : String(e)
          o.log.error(`${o.name} pass failed`, e)
          return null
        } finally {
          running = null
        }
      })()
      return running
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
  const schedule = (ms: number) => {
    if (stopped) return
    timer = setTimeout(() => void handle.runNow().finally(() => schedule(o.intervalMs)), ms)
    timer.unref()
  }
  schedule(o.firstRunDelayMs)
  return handle
}
