import type { NatsConnection, Subscription } from 'nats'
import type { EventBus } from '../bus'
import { isBusyError } from '../db/open'
import type { Logger } from '../log'
import { isOnlineAt } from '../online-window'
import { decodeHeartbeat, decodeJsonBody, type Heartbeat } from '../../../shared/wire'
import { filters } from '../../../shared/nats-names'
import { parseTimestamp, toCanonical } from '../../../shared/time'
import { ChangeSet, emitChanges } from './changes'
import { stmt, writeDeadLetter } from './ledger'
import { RateMeter } from './rate'
import type { ApplyEnv, ProjectorStatus } from './types'

// Heartbeat projector (reference §3.6): core subscription `heartbeat.>`, no stream. Beats
// are buffered and coalesced per PC into one write per flush. Q11: hostname / os_family
// follow the latest heartbeat that carries them; Q17: last_seen_at = the console's receive
// time. agents.changed is emitted for new agents, changed fields and offline → online only.

export const HEARTBEATS = 'heartbeats'
/** dead_letters.stream for core-subscription messages, which have no stream. */
export const CORE_STREAM = 'core'

export interface ReceivedBeat {
  subject: string
  data: Uint8Array
  receivedAt: number
}

interface Coalesced {
  hb: Heartbeat
  firstReceivedAt: number
  lastReceivedAt: number
}

const UPSERT = `INSERT INTO agents (pc_id, hostname, last_heartbeat, agent_version, os_family, updated_at, last_seen_at)
  VALUES (@pc_id, @hostname, @last_heartbeat, @agent_version, @os_family, @updated_at, @last_seen_at)
  ON CONFLICT(pc_id) DO UPDATE SET
    hostname = COALESCE(excluded.hostname, agents.hostname),
    os_family = COALESCE(excluded.os_family, agents.os_family),
    agent_version = excluded.agent_version,
    last_heartbeat = excluded.last_heartbeat,
    updated_at = excluded.updated_at,
    last_seen_at = excluded.last_seen_at`

const PREVIOUS = 'SELECT hostname, os_family, agent_version, last_seen_at FROM agents WHERE pc_id = ?'

/** Apply received heartbeats in one transaction; returns what changed (emit after return). */
export function applyHeartbeats(env: ApplyEnv, beats: ReceivedBeat[]): ChangeSet {
  const changes = new ChangeSet()
  const latest = new Map<string, Coalesced>()
  const bad: { beat: ReceivedBeat; error: string }[] = []
  for (const beat of beats) {
    let hb: Heartbeat
    try {
      hb = decodeJsonBody('Heartbeat', decodeHeartbeat, beat.data)
    } catch (e) {
      bad.push({ beat, error: (e as Error).message })
      continue
    }
    const prev = latest.get(hb.pc_id)
    if (!prev) {
      latest.set(hb.pc_id, { hb, firstReceivedAt: beat.receivedAt, lastReceivedAt: beat.receivedAt })
    } else {
      // A later beat without hostname / os_family keeps the earlier values (never clears).
      prev.hb = { ...hb, hostname: hb.hostname ?? prev.hb.hostname, os_family: hb.os_family ?? prev.hb.os_family }
      prev.lastReceivedAt = beat.receivedAt
    }
  }
  const db = env.db
  db.transaction(() => {
    for (const { beat, error } of bad) {
      const payload = { projector: HEARTBEATS, stream: CORE_STREAM, seq: null, subject: beat.subject, payload: beat.data, error, deliveries: 1 }
      if (writeDeadLetter(db, payload, env.now())) changes.deadLetters.push({ projector: HEARTBEATS, subject: beat.subject, error })
    }
    for (const [pcId, c] of latest) {
      const prev = stmt(db, PREVIOUS).get(pcId) as
        | { hostname: string | null; os_family: string | null; agent_version: string | null; last_seen_at: string | null }
        | undefined
      stmt(db, UPSERT).run({
        pc_id: pcId,
        hostname: c.hb.hostname,
        last_heartbeat: toCanonical(parseTimestamp(c.hb.at)!),
        agent_version: c.hb.agent_version,
        os_family: c.hb.os_family,
        updated_at: toCanonical(env.now()),
        last_seen_at: toCanonical(c.lastReceivedAt),
      })
      if (isNotable(prev, c)) changes.agentPcIds.add(pcId)
    }
  })()
  return changes
}

function isNotable(
  prev: { hostname: string | null; os_family: string | null; agent_version: string | null; last_seen_at: string | null } | undefined,
  c: Coalesced,
): boolean {
  if (!prev) return true
  if (c.hb.hostname !== null && c.hb.hostname !== prev.hostname) return true
  if (c.hb.os_family !== null && c.hb.os_family !== prev.os_family) return true
  if (c.hb.agent_version !== prev.agent_version) return true
  // Offline → online: the previous beat is outside the online window (CONVENTIONS "Online").
  const seen = prev.last_seen_at ? parseTimestamp(prev.last_seen_at) : null
  return seen === null || !isOnlineAt(seen, c.firstReceivedAt)
}

export interface HeartbeatOptions {
  /** Buffering window before a flush (default 1 s). */
  flushMs?: number
  /** Flush at once when this many beats are buffered. */
  maxBuffer?: number
  /** Beats per transaction (the rest after a yield). */
  chunk?: number
}

/** The live heartbeat projector: subscription, buffer, periodic coalesced flush. */
export class HeartbeatProjector {
  private sub: Subscription | null = null
  private buffer: ReceivedBeat[] = []
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> | null = null
  private rate = new RateMeter()
  private lastError: string | null = null
  private updatedAt: string | null = null
  private deadLetters = 0
  private stopped = false
  private retrying = false
  /** Beats received since start (tests wait on it). */
  received = 0
  /** Beats written since start. */
  written = 0

  constructor(
    private readonly nc: NatsConnection,
    private readonly env: ApplyEnv,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly opts: HeartbeatOptions = {},
  ) {
    this.deadLetters = (env.db.prepare('SELECT COUNT(*) AS n FROM dead_letters WHERE projector = ?').get(HEARTBEATS) as { n: number }).n
  }

  start(): void {
    this.sub = this.nc.subscribe(filters.heartbeat, {
      callback: (err, msg) => {
        if (err) {
          this.lastError = err.message
          return
        }
        this.received++
        this.buffer.push({ subject: msg.subject, data: msg.data, receivedAt: this.env.now() })
        this.schedule()
      },
    })
  }

  private schedule(): void {
    if (this.buffer.length >= (this.opts.maxBuffer ?? 5000)) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      void this.flush()
    } else {
      this.flushLater()
    }
  }

  private flushLater(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, this.opts.flushMs ?? 1000)
  }

  /** Write everything buffered so far (resolves when it is committed or left for a retry). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (!this.buffer.length) return
    this.flushing = this.flushNow()
    try {
      await this.flushing
    } finally {
      this.flushing = null
    }
  }

  private async flushNow(): Promise<void> {
    const chunk = this.opts.chunk ?? 1000
    while (this.buffer.length) {
      const take = this.buffer.slice(0, chunk)
      try {
        const changes = applyHeartbeats(this.env, take)
        this.buffer.splice(0, take.length)
        this.written += take.length
        this.rate.add(take.length)
        this.deadLetters += changes.deadLetters.length
        this.updatedAt = toCanonical(this.env.now())
        this.retrying = false
        emitChanges(this.bus, changes)
      } catch (e) {
        this.lastError = (e as Error).message
        if (isBusyError(e) && !this.stopped) {
          // Keep the beats; the next flush retries them (coalesced with newer ones).
          this.retrying = true
          this.flushLater()
          return
        }
        this.log.error(`heartbeats: ${take.length} heartbeats could not be written`, e)
        this.buffer.splice(0, take.length)
      }
      await new Promise((r) => setImmediate(r))
    }
  }

  status(): ProjectorStatus {
    return {
      name: HEARTBEATS,
      consumer: null,
      stream: null,
      last_seq: 0,
      pending: this.buffer.length,
      dead_letters: this.deadLetters,
      last_error: this.lastError,
      rate: this.rate.perSecond(),
      state: this.stopped ? 'stopped' : this.retrying ? 'retrying' : this.sub ? 'running' : 'starting',
      updated_at: this.updatedAt,
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.sub?.unsubscribe()
    try {
      await this.flush()
    } catch (e) {
      this.log.warn('heartbeats: final flush failed', e)
    }
  }
}
