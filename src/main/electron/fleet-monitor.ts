import type { FleetStatus } from './fleet-status'

// Keeps the tray's online/offline counts fresh. It reads at start and then only when the core
// says agents changed (`agents.changed`: new agents, back online, and — from the core's liveness
// watcher — agents crossing the 2-minute window). Nothing polls: going offline is announced by
// the core itself (`agents.offline`, which the notification policy turns into a notice).

export interface FleetMonitorOptions {
  read(): FleetStatus
  onStatus(status: FleetStatus): void
  onError?(e: unknown): void
  debounceMs?: number
}

export class FleetMonitor {
  private soon: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly opts: FleetMonitorOptions) {}

  start(): void {
    this.refresh()
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
    this.opts.onStatus(status)
  }

  stop(): void {
    if (this.soon) clearTimeout(this.soon)
    this.soon = null
  }
}
