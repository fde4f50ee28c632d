import { createInbox, type Msg, type NatsConnection, type Subscription } from 'nats'

// JetStream publishes for thousands of agents: a publish with a reply subject, answered by
// the stream's PubAck — what js.publish() does, without a request object, error stack and
// timer per message (measured: they dominated the simulator's CPU at 5,000 agents). One
// wildcard inbox subscription receives every ack; one sweep expires the late ones.

export class PubAckError extends Error {}

interface Waiting {
  resolve: () => void
  reject: (e: Error) => void
  at: number
}

const dec = new TextDecoder()

export class AckPublisher {
  private readonly prefix = createInbox()
  private readonly waiting = new Map<number, Waiting>()
  private readonly sub: Subscription
  private readonly sweep: ReturnType<typeof setInterval>
  private next = 0

  constructor(
    private readonly nc: NatsConnection,
    private readonly ackTimeoutMs = 30_000,
  ) {
    this.sub = nc.subscribe(`${this.prefix}.*`, { callback: (err, m) => !err && this.onReply(m) })
    this.sweep = setInterval(() => this.expire(), Math.min(1_000, ackTimeoutMs))
  }

  /** Resolves on the PubAck; rejects on an error ack, "no responders" (no stream captures
   *  the subject) or no answer within the ack timeout. */
  publish(subject: string, payload: Uint8Array): Promise<void> {
    const id = ++this.next
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, at: Date.now() })
      try {
        this.nc.publish(subject, payload, { reply: `${this.prefix}.${id}` })
      } catch (e) {
        this.waiting.delete(id)
        reject(e as Error)
      }
    })
  }

  get inFlight(): number {
    return this.waiting.size
  }

  close(): void {
    clearInterval(this.sweep)
    this.sub.unsubscribe()
    for (const w of this.waiting.values()) w.reject(new PubAckError('publisher closed'))
    this.waiting.clear()
  }

  private onReply(m: Msg): void {
    const id = Number(m.subject.slice(this.prefix.length + 1))
    const w = this.waiting.get(id)
    if (!w) return
    this.waiting.delete(id)
    if (m.headers && m.headers.code >= 300) return w.reject(new PubAckError(`no PubAck: ${m.headers.code} ${m.headers.description}`))
    const text = dec.decode(m.data)
    if (!text.includes('"error"')) return w.resolve()
    let message = text
    try {
      message = (JSON.parse(text) as { error?: { description?: string } }).error?.description ?? text
    } catch {
      // keep the raw text
    }
    w.reject(new PubAckError(`JetStream refused the message: ${message}`))
  }

  private expire(): void {
    const cutoff = Date.now() - this.ackTimeoutMs
    for (const [id, w] of this.waiting) {
      if (w.at > cutoff) break // insertion order = age order
      this.waiting.delete(id)
      w.reject(new PubAckError(`no PubAck within ${this.ackTimeoutMs} ms`))
    }
  }
}
