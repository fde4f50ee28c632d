import { wentOffline, type FleetStatus } from './fleet-status'

// Polls the fleet's online set: keeps the tray counts fresh and notices agents going offline
// (a time-based transition no push event announces: nothing arrives when a PC goes quiet).

export interface FleetMonitorOptions {
  read(): FleetStatus
  onStatus(status: FleetStatus): void
  onWentOffline(pcIds: string[]): void
  onError?(e: unknown): void
  intervalMs?: number
  debounceMs?: number
}

export class FleetMonitor {
  private previous: Set<string> | null = null
  private interval: ReturnType<typeof setInterval> | null = null
  private soon: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly opts: FleetMonitorOptions) {}

  start(): void {
    this.refresh()
    this.interval = setInterval(() => this.refresh(), this.opts.intervalMs ?? 30_000)
    this.interval.unref?.()
  }

  /** Coalesce bursts of `agents.changed` into one read. */
  refreshSoon(): void {
    if (this.soon) return
    this.soon = setTimeout(() => {
      this.soon = null
      this.refresh()
    }, this.opts.debounceMs ?? 1000)
    this.soon.unref?.()
  }

  refresh(): void {
    let status: FleetStatus
    try {
      status = this.opts.read()
    } catch (e) {
      this.opts.onError?.(e)
      return
    }
    // The first read is the baseline: PCs already offline at start are not news.
    const gone = this.previous ? wentOffline(this.previous, status.onlineIds) : []
    this.previous = status.onlineIds
    this.opts.onStatus(status)
    if (gone.length) this.opts.onWentOffline(gone)
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval)
    if (this.soon) clearTimeout(this.soon)
    this.interval = this.soon = null
  }
}
