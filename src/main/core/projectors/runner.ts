import { ConsumerEvents, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats'
import type { EventBus } from '../bus'
import { isBusyError } from '../db/open'
import type { Logger } from '../log'
import { toCanonical } from '../../../shared/time'
import { applyChunk, defaultRetryDelay, type ApplyResult } from './apply'
import { emitChanges } from './changes'
import { prepareConsumer } from './consumer'
import { deadLetterCount, hasOffset, readOffset } from './ledger'
import { RateMeter } from './rate'
import type { ApplyEnv, IncomingMessage, Outcome, ProjectorState, ProjectorStatus, StreamProjector } from './types'

// The runner of one stream projector: a durable pull consumer (`consume()`, status watched),
// messages gathered into batches (size cap + time cap), each batch applied by applyChunk in
// transactions of a few milliseconds with a yield between them, acks after the commit.
// A dying loop restarts with backoff (Q19); SQLITE_BUSY retries the same batch, never acks.

export interface RunnerHooks {
  /** Fail the apply of this delivery (non-transient), for tests of Q6. */
  failApply?(msg: IncomingMessage): boolean
  /** Called after a commit and before the acks (tests close the connection here). */
  afterCommit?(msgs: IncomingMessage[], outcomes: Outcome[]): void | Promise<void>
  /** Pretend the ack of this message was lost: nak it instead so JetStream redelivers it. */
  loseAck?(msg: IncomingMessage): boolean
  /** Observer: a batch was settled (acked / nak'd). */
  onSettled?(msgs: IncomingMessage[], outcomes: Outcome[]): void
}

export interface RunnerOptions {
  /** Durable name prefix: the consumer is `<prefix>_<projector suffix>`. */
  prefix: string
  /** Messages per batch (size cap); 1 = one transaction per message (kanade's way). */
  maxBatch?: number
  /** Time cap: how long a partial batch waits for more messages. */
  maxWaitMs?: number
  /** Transaction budget: a batch is split so one transaction stays within it. */
  budgetMs?: number
  maxDeliver?: number
  maxAckPending?: number
  ackWaitMs?: number
  retryDelayMs?: (attempts: number) => number
  /** Restart backoff bounds after the loop fails. */
  restartMinMs?: number
  restartMaxMs?: number
  hooks?: RunnerHooks
}

const PENDING_REFRESH_MS = 5000
const ACKS_PER_SLICE = 250
// nats.js parses everything readable on the socket in one go (~10 µs a message): a pull of a
// few hundred messages keeps those bursts short while the client still re-pulls fast enough
// to fill the next batch.
const PULL_MESSAGES = 250
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const yieldLoop = () => new Promise<void>((r) => setImmediate(r))

export class StreamRunner {
  readonly consumer: string
  private readonly o: Required<Omit<RunnerOptions, 'hooks'>> & { hooks: RunnerHooks }
  private state: ProjectorState = 'stopped'
  private lastError: string | null = null
  private lastSeq = 0
  private pending = 0
  private deadLetters = 0
  private updatedAt: string | null = null
  private rate = new RateMeter()
  private queue: JsMsg[] = []
  private timer: NodeJS.Timeout | null = null
  private pumping: Promise<void> | null = null
  private messages: ConsumerMessages | null = null
  private loop: Promise<void> | null = null
  private stopped = false
  private halted = false
  private wake: (() => void) | null = null
  private lastMessageAt = 0
  /** Judged at construction: rows but no offset (an imported database) → adopt a durable's position. */
  private adoptable: boolean
  /** Consumer delivery sequence of the last message received in this session (0 = none yet). */
  private lastDelivery = 0
  /** Messages settled since start. */
  settled = 0
  /** Transactions committed since start (settled / transactions = messages per transaction). */
  transactions = 0
  /** Called when the status changed in a way the UI shows. */
  onStatusChange: (() => void) | null = null

  constructor(
    private readonly nc: NatsConnection,
    private readonly env: ApplyEnv,
    private readonly bus: EventBus,
    private readonly log: Logger,
    readonly projector: StreamProjector,
    opts: RunnerOptions,
  ) {
    this.consumer = `${opts.prefix}_${projector.consumerSuffix}`
    this.o = {
      maxBatch: 1000,
      maxWaitMs: 20,
      budgetMs: 8,
      maxDeliver: 10,
      maxAckPending: 4096,
      ackWaitMs: 30_000,
      retryDelayMs: defaultRetryDelay,
      restartMinMs: 500,
      restartMaxMs: 30_000,
      ...opts,
      hooks: opts.hooks ?? {},
    }
    this.lastSeq = readOffset(env.db, projector.name)
    this.deadLetters = deadLetterCount(env.db, projector.name)
    this.adoptable = !hasOffset(env.db, projector.name) && projector.hasData(env.db)
  }

  start(): void {
    if (this.loop) return
    this.stopped = false
    this.loop = this.supervise()
  }

  /** Stop pulling, apply and ack what was already received, then end the loop. */
  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    try {
      await this.messages?.close()
    } catch {
      // the connection may already be gone
    }
    await this.loop
    this.loop = null
  }

  status(): ProjectorStatus {
    return {
      name: this.projector.name,
      consumer: this.consumer,
      stream: this.projector.stream,
      last_seq: this.lastSeq,
      pending: this.pending,
      dead_letters: this.deadLetters,
      last_error: this.lastError,
      rate: this.rate.perSecond(),
      state: this.state,
      updated_at: this.updatedAt,
    }
  }

  private setState(s: ProjectorState): void {
    if (this.state === s) return
    this.state = s
    this.onStatusChange?.()
  }

  private async supervise(): Promise<void> {
    let backoff = this.o.restartMinMs
    while (!this.stopped) {
      try {
        this.setState('starting')
        const reason = await this.runOnce()
        if (this.stopped) break
        backoff = this.o.restartMinMs
        if (reason !== 'consumer deleted') throw new Error(reason)
        this.log.warn(`${this.projector.name}: consumer ${this.consumer} was deleted; recreating it`)
      } catch (e) {
        if (this.stopped) break
        this.lastError = (e as Error).message || String(e)
        if (this.nc.isClosed()) {
          this.log.error(`${this.projector.name}: NATS connection closed; projector stopped`)
          break
        }
        this.log.warn(`${this.projector.name}: projector loop failed, restarting in ${backoff} ms: ${this.lastError}`)
        this.setState('restarting')
        await new Promise<void>((r) => {
          this.wake = r
          setTimeout(r, backoff)
        })
        this.wake = null
        backoff = Math.min(backoff * 2, this.o.restartMaxMs)
      }
    }
    this.setState('stopped')
  }

  /** One consumer session; resolves with why it ended. */
  private async runOnce(): Promise<string> {
    const jsm = await this.nc.jetstreamManager()
    const plan = await prepareConsumer(
      jsm,
      this.env.db,
      this.projector,
      { durable: this.consumer, maxDeliver: this.o.maxDeliver, maxAckPending: this.o.maxAckPending, ackWaitMs: this.o.ackWaitMs },
      this.log,
      this.adoptable,
    )
    this.adoptable = false
    this.lastSeq = plan.offset
    const info = await jsm.consumers.info(this.projector.stream, this.consumer)
    this.pending = info.num_pending
    const consumer = await this.nc.jetstream().consumers.get(this.projector.stream, this.consumer)
    this.halted = false
    this.lastDelivery = 0
    const messages = await consumer.consume({
      max_messages: Math.min(this.o.maxAckPending, PULL_MESSAGES),
      callback: (m) => this.enqueue(m),
    })
    this.messages = messages
    if (this.stopped) await messages.close()
    this.setState('running')
    // Pending comes with every message; while none arrive, ask the server now and then.
    const refresh = setInterval(() => {
      if (performance.now() - this.lastMessageAt < PENDING_REFRESH_MS) return
      jsm.consumers.info(this.projector.stream, this.consumer).then(
        (i) => (this.pending = i.num_pending),
        () => {},
      )
    }, PENDING_REFRESH_MS)
    refresh.unref()
    let reason = 'consumer stopped'
    void (async () => {
      for await (const s of await messages.status()) {
        if (s.type === ConsumerEvents.ConsumerDeleted || s.type === ConsumerEvents.ConsumerNotFound) {
          reason = 'consumer deleted'
          messages.stop()
        } else if (s.type === ConsumerEvents.StreamNotFound) {
          reason = `stream ${this.projector.stream} not found`
          messages.stop()
        } else if (s.type === ConsumerEvents.HeartbeatsMissed && Number(s.data) >= 3) {
          reason = 'server heartbeats missed'
          messages.stop()
        }
      }
    })().catch(() => {})
    // A closed connection does not always end the consumer: watch both.
    const err = await Promise.race([messages.closed(), this.nc.closed().then(() => new Error('NATS connection closed'))])
    clearInterval(refresh)
    if (this.nc.isClosed()) messages.stop()
    if (err instanceof Error && reason === 'consumer stopped') reason = err.message
    // Apply and ack what already arrived (a halted session drops it: redelivered after recreate).
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    while (this.pumping) await this.pumping
    if (this.queue.length && !this.halted) await this.pump()
    this.queue = []
    this.messages = null
    return this.halted ? (this.lastError ?? 'batch failed') : reason
  }

  private enqueue(m: JsMsg): void {
    if (this.halted) return
    // A jump in the delivery sequence means deliveries were lost on the wire (the connection
    // dropped and the client re-pulled). JetStream sends them again only after ack_wait, behind
    // newer messages whose batch would move the offset past them, so they would be skipped as
    // applied: end the session instead; the consumer is recreated right after the offset.
    const d = m.info.deliverySequence
    if (this.lastDelivery > 0 && d > this.lastDelivery + 1) {
      this.log.warn(`${this.projector.name}: deliveries ${this.lastDelivery + 1}–${d - 1} lost in transit; restarting the consumer`)
      this.halt(`deliveries ${this.lastDelivery + 1}–${d - 1} were lost in transit; resuming from sequence ${this.lastSeq + 1}`)
      return
    }
    this.lastDelivery = d
    this.lastMessageAt = performance.now()
    this.queue.push(m)
    if (this.pumping) return
    if (this.queue.length >= this.o.maxBatch) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      this.pumping = this.pump()
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null
        if (!this.pumping) this.pumping = this.pump()
      }, this.o.maxWaitMs)
    }
  }

  private async pump(): Promise<void> {
    try {
      while (this.queue.length && !this.halted) {
        await this.process(this.queue.splice(0, this.o.maxBatch))
      }
    } catch (e) {
      // Not transient (disk full, database closed…): stop this session and restart with
      // backoff; nothing of the failed batch was acked, the recreated consumer redelivers it.
      this.log.error(`${this.projector.name}: batch failed, restarting the consumer`, e)
      this.halt((e as Error).message || String(e))
    } finally {
      this.pumping = null
    }
  }

  /** End this session without acking what is queued; the restart recreates the consumer. */
  private halt(reason: string): void {
    this.halted = true
    this.lastError = reason
    this.queue = []
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.messages?.stop()
  }

  private async process(batch: JsMsg[]): Promise<void> {
    let msgs = batch
    let items: IncomingMessage[] = batch.map((m) => ({
      stream: m.info.stream,
      seq: m.seq,
      subject: m.subject,
      data: m.data,
      deliveries: m.info.deliveryCount,
    }))
    let busyDelay = 10
    while (items.length) {
      let r: ApplyResult
      try {
        r = applyChunk(this.env, this.projector, items, {
          maxDeliver: this.o.maxDeliver,
          consumer: this.consumer,
          budgetMs: this.o.budgetMs,
          maxMessages: this.o.maxBatch,
          retryDelayMs: this.o.retryDelayMs,
          failApply: this.o.hooks.failApply,
        })
      } catch (e) {
        if (!isBusyError(e) || this.stopped) throw e
        // Transient lock: keep the messages (extend their ack deadline) and retry the batch.
        this.lastError = (e as Error).message
        this.setState('retrying')
        for (const m of msgs) m.working()
        await sleep(busyDelay)
        busyDelay = Math.min(busyDelay * 2, 1000)
        continue
      }
      this.transactions++
      const done = msgs.slice(0, r.consumed)
      const doneItems = items.slice(0, r.consumed)
      await this.o.hooks.afterCommit?.(doneItems, r.outcomes)
      await this.settle(done, doneItems, r.outcomes)
      this.lastSeq = r.lastSeq
      this.deadLetters += r.changes.deadLetters.length
      this.updatedAt = toCanonical(this.env.now())
      this.pending = done[done.length - 1].info.pending
      if (this.state !== 'running') {
        if (this.state === 'retrying') this.lastError = null
        this.setState('running')
      }
      if (r.changes.deadLetters.length) this.onStatusChange?.()
      emitChanges(this.bus, r.changes)
      this.o.hooks.onSettled?.(doneItems, r.outcomes)
      msgs = msgs.slice(r.consumed)
      items = items.slice(r.consumed)
      await yieldLoop()
    }
  }

  /** Ack / nak a committed batch, yielding now and then: a thousand acks are milliseconds of CPU. */
  private async settle(msgs: JsMsg[], items: IncomingMessage[], outcomes: Outcome[]): Promise<void> {
    for (let i = 0; i < msgs.length; i++) {
      if (i > 0 && i % ACKS_PER_SLICE === 0) await yieldLoop()
      const m = msgs[i]
      const o = outcomes[i]
      try {
        if (this.o.hooks.loseAck?.(items[i])) m.nak()
        else if (o.kind === 'retry') m.nak(o.delayMs)
        else m.ack()
      } catch {
        // Connection gone: the message stays unacked and comes back; its seq is ≤ the offset.
      }
      if (o.kind === 'retry') this.lastError = o.error ?? null
    }
    this.settled += msgs.length
    this.rate.add(msgs.length)
  }
}
