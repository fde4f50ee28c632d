import { applyChunk, type ApplyResult } from './apply'
import type { ChangeSet } from './changes'
import { applyHeartbeats, type ReceivedBeat } from './heartbeats'
import type { ApplyEnv, IncomingMessage, StreamProjector } from './types'

// Where a stream runner's batches are written. The runner owns NATS (receive, ack after the
// commit); a writer owns the SQLite transaction of applyChunk. Two kinds:
//  - inline: on the calling thread, with the console's own connection (tests, tools, and the
//    fallback when no worker can start);
//  - worker (worker-writer.ts): a thread with its own connection to the same file, so the
//    projection's CPU (decode, B-tree inserts, commit) leaves the event loop free.

export interface WriteOptions {
  /** Deliveries after which a message that keeps failing is dead-lettered. */
  maxDeliver: number
  /** Consumer name written to projector_offsets. */
  consumer: string
  /** Transaction budget; the rest of the messages come back unconsumed. */
  budgetMs: number
  /** At most this many messages per transaction. */
  maxMessages: number
  /** Test hook: fail the apply of this delivery (inline writer only: a function cannot cross threads). */
  failApply?: (msg: IncomingMessage) => boolean
}

/** Log lines a writer produced while applying (the runner writes them to its own logger). */
export interface WriterLogLine {
  level: 'error' | 'warn' | 'info' | 'debug'
  message: string
}

export interface ProjectionWriter {
  readonly kind: 'inline' | 'worker'
  /**
   * Apply a prefix of `msgs` of projector `p` in one transaction (see applyChunk). Rejects
   * with the SQLite error (its `code` kept) when the transaction failed: nothing committed.
   */
  apply(p: StreamProjector, msgs: IncomingMessage[], opts: WriteOptions): Promise<ApplyResult>
  /** Write received heartbeats, coalesced, in one transaction (see applyHeartbeats). */
  heartbeats(beats: ReceivedBeat[]): Promise<ChangeSet>
  /** Transaction budget this writer suggests (a worker can hold longer ones than the event loop). */
  readonly budgetMs: number | null
  /** Run a pragma on the writer's connection (diagnostics; tests make its disk "full"). */
  pragma(text: string): Promise<unknown>
  stop(): Promise<void>
}

/** applyChunk on the calling thread, with the console's connection. */
export class InlineWriter implements ProjectionWriter {
  readonly kind = 'inline'
  readonly budgetMs = null

  constructor(private readonly env: ApplyEnv) {}

  async apply(p: StreamProjector, msgs: IncomingMessage[], opts: WriteOptions): Promise<ApplyResult> {
    return applyChunk(this.env, p, msgs, opts)
  }

  async heartbeats(beats: ReceivedBeat[]): Promise<ChangeSet> {
    return applyHeartbeats(this.env, beats)
  }

  async pragma(text: string): Promise<unknown> {
    return this.env.db.pragma(text, { simple: true })
  }

  async stop(): Promise<void> {}
}
