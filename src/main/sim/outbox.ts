// The agents' outboxes (kanade-protocol.md §7.7): results and start events are JetStream
// publishes that wait for the PubAck; a failure is retried a second later; nothing leaves
// while its agent is offline. One queue for the whole fleet, with a cap on publishes in
// flight so thousands of agents finishing together do not flood the connection.

export interface OutboxItem<O> {
  subject: string
  payload: Uint8Array
  owner: O
  kind: 'result' | 'event'
  attempts: number
}

export interface OutboxOptions<O> {
  /** A JetStream publish that settles on the PubAck. */
  publish(subject: string, payload: Uint8Array): Promise<unknown>
  isOnline(owner: O): boolean
  onPublished?(item: OutboxItem<O>): void
  maxInFlight?: number
  retryMs?: number
}

export class JsOutbox<O> {
  private queue: OutboxItem<O>[] = []
  private head = 0
  private readonly parked = new Map<O, OutboxItem<O>[]>()
  private inFlight = 0
  private retryTimers = new Set<ReturnType<typeof setTimeout>>()
  private waiters: (() => void)[] = []
  private stopped = false
  published = 0
  retries = 0

  constructor(private readonly opts: OutboxOptions<O>) {}

  enqueue(item: Omit<OutboxItem<O>, 'attempts'>): void {
    this.queue.push({ ...item, attempts: 0 })
    this.pump()
  }

  /** The owner reconnected: its parked items go out again. */
  ownerOnline(owner: O): void {
    const items = this.parked.get(owner)
    if (!items) return
    this.parked.delete(owner)
    this.queue.push(...items)
    this.pump()
  }

  /** Items not yet acknowledged (queued, in flight, parked or waiting to retry). */
  get pending(): number {
    let parked = 0
    for (const list of this.parked.values()) parked += list.length
    return this.queue.length - this.head + this.inFlight + parked + this.retryTimers.size
  }

  /** Resolves when everything that can go out (owners online) has been acknowledged. */
  drained(): Promise<void> {
    if (this.pending - this.parkedCount() === 0) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  stop(): void {
    this.stopped = true
    for (const t of this.retryTimers) clearTimeout(t)
    this.retryTimers.clear()
    for (const w of this.waiters.splice(0)) w()
  }

  private parkedCount(): number {
    let n = 0
    for (const list of this.parked.values()) n += list.length
    return n
  }

  private pump(): void {
    const max = this.opts.maxInFlight ?? 256
    while (!this.stopped && this.inFlight < max && this.head < this.queue.length) {
      const item = this.queue[this.head++]
      if (!this.opts.isOnline(item.owner)) {
        const list = this.parked.get(item.owner) ?? []
        list.push(item)
        this.parked.set(item.owner, list)
        continue
      }
      this.send(item)
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    this.notify()
  }

  private send(item: OutboxItem<O>): void {
    this.inFlight++
    item.attempts++
    this.opts
      .publish(item.subject, item.payload)
      .then(() => {
        this.inFlight--
        this.published++
        this.opts.onPublished?.(item)
        this.pump()
      })
      .catch(() => {
        // No PubAck (no stream, broker gone, timeout): keep it and try again later.
        this.inFlight--
        this.retries++
        if (this.stopped) return
        const t = setTimeout(() => {
          this.retryTimers.delete(t)
          this.queue.push(item)
          this.pump()
        }, this.opts.retryMs ?? 1_000)
        this.retryTimers.add(t)
        this.pump()
      })
  }

  private notify(): void {
    if (this.waiters.length && this.pending - this.parkedCount() === 0) {
      for (const w of this.waiters.splice(0)) w()
    }
  }
}
