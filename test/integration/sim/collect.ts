import type { NatsConnection, Subscription } from 'nats'
import { decodeEventStarted, decodeExecResult, type EventStarted, type ExecResult } from '../../../src/shared/wire'

// Collects what simulated agents publish on results.> and events.started.> (both are
// JetStream publishes; a core subscription sees them as they are stored).

export interface Published<T> {
  subject: string
  raw: Record<string, unknown>
  value: T
}

export class Collector {
  readonly results: Published<ExecResult>[] = []
  readonly events: Published<EventStarted>[] = []
  private readonly subs: Subscription[] = []
  private waiters: (() => void)[] = []

  constructor(private readonly nc: NatsConnection) {
    const dec = new TextDecoder()
    this.subs.push(
      nc.subscribe('results.>', {
        callback: (_e, m) => {
          const raw = JSON.parse(dec.decode(m.data))
          this.results.push({ subject: m.subject, raw, value: decodeExecResult(raw) })
          this.wake()
        },
      }),
      nc.subscribe('events.started.>', {
        callback: (_e, m) => {
          const raw = JSON.parse(dec.decode(m.data))
          this.events.push({ subject: m.subject, raw, value: decodeEventStarted(raw) })
          this.wake()
        },
      }),
    )
  }

  async ready(): Promise<void> {
    await this.nc.flush()
  }

  resultsFor(requestId: string): Published<ExecResult>[] {
    return this.results.filter((r) => r.value.request_id === requestId)
  }

  eventsFor(requestId: string): Published<EventStarted>[] {
    return this.events.filter((e) => e.value.request_id === requestId)
  }

  /** Wait until `check()` holds (re-checked on every message and every 50 ms). */
  async until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50)
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  stop(): void {
    for (const s of this.subs) s.unsubscribe()
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w()
  }
}
