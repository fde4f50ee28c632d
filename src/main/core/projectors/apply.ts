import { isBusyError } from '../db/open'
import { ChangeSet } from './changes'
import { clearRetry, readOffset, recordRetry, retryAttempts, writeDeadLetter, writeOffset } from './ledger'
import type { ApplyEnv, IncomingMessage, Outcome, StreamProjector } from './types'

// The pure projection step: apply messages of one projector in ONE SQLite transaction that
// also moves projector_offsets. No NATS here — the runner acks/naks from the outcomes after
// the commit, and tests drive fixture cases through the same function.
//
// Rules: seq ≤ stored offset and not owed a retry → skipped (already applied: a crash
// between commit and ack never double-applies). Undecodable → dead letter at once. Apply
// error → retry ledger + nak; at max deliveries → dead letter. SQLITE_BUSY/LOCKED is thrown
// (the batch rolls back and is retried whole; nothing is acked away); so are storage errors
// such as SQLITE_FULL (the runner restarts the consumer from the offset until space is back).

export interface ApplyOptions {
  /** Deliveries after which a message that keeps failing is dead-lettered. */
  maxDeliver: number
  /** Consumer name written to projector_offsets. */
  consumer?: string
  /** Stop taking new messages once the transaction has run this long (the rest: next call). */
  budgetMs?: number
  /** At most this many messages per transaction. */
  maxMessages?: number
  /** Nak delay before the next delivery after `attempts` failed applies. */
  retryDelayMs?: (attempts: number) => number
  /** Test hook: fail the apply of this delivery as a non-transient error would. */
  failApply?: (msg: IncomingMessage) => boolean
}

export interface ApplyResult {
  /** One outcome per consumed message, in order. */
  outcomes: Outcome[]
  changes: ChangeSet
  /** Messages consumed from the front of the input (the rest did not fit the budget). */
  consumed: number
  /** Stored offset after the commit. */
  lastSeq: number
}

export const defaultRetryDelay = (attempts: number): number => Math.min(30_000, 1000 * 2 ** (attempts - 1))

class RedoCarefully extends Error {}

/** SQLite failures of the storage, not of a message: retrying the batch later is the cure. */
export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? ''
  return /^SQLITE_(FULL|IOERR|NOMEM|READONLY|CORRUPT|CANTOPEN|NOTADB|PROTOCOL)/.test(code)
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e)) || 'unknown error'

/**
 * Apply a prefix of `msgs` in one transaction. The fast path runs without savepoints; if a
 * message throws, the transaction is rolled back and redone with one savepoint per message,
 * so the failing message's partial writes are undone and the others still commit.
 */
export function applyChunk<T>(env: ApplyEnv, p: StreamProjector<T>, msgs: IncomingMessage[], opts: ApplyOptions): ApplyResult {
  try {
    return runChunk(env, p, msgs, opts, false)
  } catch (e) {
    if (e instanceof RedoCarefully) return runChunk(env, p, msgs, opts, true)
    throw e
  }
}

/** Apply every message (several transactions if the budget splits them); for tests and tools. */
export function applyAll<T>(env: ApplyEnv, p: StreamProjector<T>, msgs: IncomingMessage[], opts: ApplyOptions): ApplyResult {
  const all: ApplyResult = { outcomes: [], changes: new ChangeSet(), consumed: 0, lastSeq: readOffset(env.db, p.name) }
  let rest = msgs
  while (rest.length) {
    const r = applyChunk(env, p, rest, opts)
    all.outcomes.push(...r.outcomes)
    all.changes.merge(r.changes)
    all.consumed += r.consumed
    all.lastSeq = r.lastSeq
    rest = rest.slice(r.consumed)
  }
  return all
}

function runChunk<T>(env: ApplyEnv, p: StreamProjector<T>, msgs: IncomingMessage[], opts: ApplyOptions, careful: boolean): ApplyResult {
  const { db } = env
  const changes = new ChangeSet()
  const outcomes: Outcome[] = []
  const budget = opts.budgetMs ?? Infinity
  const max = Math.max(1, opts.maxMessages ?? Infinity)
  const started = performance.now()
  let lastSeq = 0
  db.transaction(() => {
    const stored = readOffset(db, p.name)
    let offset = stored
    for (let i = 0; i < msgs.length && i < max; i++) {
      if (i > 0 && performance.now() - started > budget) break
      const m = msgs[i]
      outcomes.push(applyOne(env, p, m, offset, careful, changes, opts))
      if (m.seq > offset) offset = m.seq
    }
    p.flush?.(env, changes)
    if (offset > stored) writeOffset(db, p.name, p.stream, opts.consumer ?? p.name, offset, env.now())
    lastSeq = offset
  })()
  return { outcomes, changes, consumed: outcomes.length, lastSeq }
}

function applyOne<T>(
  env: ApplyEnv,
  p: StreamProjector<T>,
  m: IncomingMessage,
  offset: number,
  careful: boolean,
  changes: ChangeSet,
  opts: ApplyOptions,
): Outcome {
  const { db } = env
  let owed: number | null = null
  if (m.seq <= offset) {
    owed = retryAttempts(db, p.name, m.seq)
    if (owed === null) return { seq: m.seq, kind: 'skipped' }
  }

  let value: T
  try {
    value = p.decode(m)
  } catch (e) {
    // A payload that does not decode can never apply: dead-letter it now.
    return deadLetter(env, p, m, errorText(e), Math.max(m.deliveries, (owed ?? 0) + 1), owed !== null, changes)
  }

  const attempt = (target: ChangeSet): boolean => {
    if (opts.failApply?.(m)) throw new Error(`apply failed (test hook) on delivery ${m.deliveries}`)
    return p.apply(env, value, m, target)
  }

  let applied: boolean
  if (!careful) {
    try {
      applied = attempt(changes)
    } catch (e) {
      if (isBusyError(e)) throw e
      throw new RedoCarefully()
    }
  } else {
    const local = new ChangeSet()
    try {
      // Nested transaction = SAVEPOINT: a failure undoes only this message's writes.
      applied = db.transaction(() => attempt(local))()
    } catch (e) {
      // Busy, or the database itself failing (disk full, I/O error): not this message's fault,
      // and SQLite may have rolled the whole transaction back already — fail the batch.
      if (isBusyError(e) || isStorageError(e) || !db.inTransaction) throw e
      const error = errorText(e)
      const attempts = Math.max((owed ?? 0) + 1, m.deliveries)
      if (attempts >= opts.maxDeliver) return deadLetter(env, p, m, error, attempts, owed !== null, changes)
      recordRetry(db, p.name, m.seq, m.subject, attempts, error, env.now())
      const delayMs = (opts.retryDelayMs ?? defaultRetryDelay)(attempts)
      env.log.warn(`${p.name}: ${m.subject} (seq ${m.seq}) failed to apply (attempt ${attempts}): ${error}`)
      return { seq: m.seq, kind: 'retry', error, attempts, delayMs }
    }
    changes.merge(local)
  }
  if (owed !== null) clearRetry(db, p.name, m.seq)
  return { seq: m.seq, kind: applied ? 'applied' : 'unchanged' }
}

function deadLetter<T>(
  env: ApplyEnv,
  p: StreamProjector<T>,
  m: IncomingMessage,
  error: string,
  deliveries: number,
  owed: boolean,
  changes: ChangeSet,
): Outcome {
  const added = writeDeadLetter(
    env.db,
    { projector: p.name, stream: m.stream, seq: m.seq, subject: m.subject, payload: m.data, error, deliveries },
    env.now(),
  )
  if (owed) clearRetry(env.db, p.name, m.seq)
  if (added) changes.deadLetters.push({ projector: p.name, subject: m.subject, error })
  env.log.warn(`${p.name}: ${m.subject} (seq ${m.seq}) dead-lettered after ${deliveries} deliveries: ${error}`)
  return { seq: m.seq, kind: 'dead_letter', error }
}
