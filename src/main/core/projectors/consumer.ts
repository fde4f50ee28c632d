import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from 'nats'
import type { Db } from '../db/open'
import type { Logger } from '../log'
import { isNotFound } from '../nats/bootstrap'
import { hasOffset, lowestRetry, readOffset, resetOffset, writeOffset } from './ledger'
import type { StreamProjector } from './types'

// Durable pull consumer of a projector, made consistent with the database before use.
//
// The database is the truth: projector_offsets says what is applied. A consumer whose state
// matches (nothing delivered beyond the offset, nothing awaiting an ack, no retry owed) is
// reused. Otherwise — a crash left deliveries unacked, or the database was wiped — it is
// deleted and recreated to start right after the offset (or at the lowest owed retry).
// Without that, unacked messages redelivered after newer ones moved the offset past them
// would be skipped as "already applied".
//
// Taking over (prefix `backend`): a database that never recorded an offset but already holds
// projected rows (imported from kanade-backend) adopts the durable's ack floor — its previous
// owner applied everything acked. An empty projection is rebuilt from the stream instead
// (later kanade's "consumer reset"), since replaying is idempotent.
// nats-server 2.9.10: one filter subject per consumer, no consumer metadata.

export interface ConsumerSettings {
  durable: string
  maxDeliver: number
  maxAckPending: number
  ackWaitMs: number
}

export type ConsumerPlan = { kind: 'created' | 'reused' | 'recreated'; startSeq: number; offset: number }

/**
 * @param adoptable the database had projected rows but no offset when the subsystem started
 *   (judged before any runner wrote, so one projector's rows do not decide for another).
 */
export async function prepareConsumer(
  jsm: JetStreamManager,
  db: Db,
  p: StreamProjector,
  s: ConsumerSettings,
  log: Logger,
  adoptable = false,
): Promise<ConsumerPlan> {
  const stream = await jsm.streams.info(p.stream)
  let offset = readOffset(db, p.name)
  if (offset > stream.state.last_seq) {
    // The stream was recreated (sequences restarted): replay it from the start.
    log.warn(`${p.name}: stored offset ${offset} is beyond ${p.stream}'s last sequence ${stream.state.last_seq}; replaying the stream`)
    resetOffset(db, p.name)
    offset = 0
  }
  let info: ConsumerInfo | null = null
  try {
    info = await jsm.consumers.info(p.stream, s.durable)
  } catch (e) {
    if (!isNotFound(e)) throw e
  }
  if (info && adoptable && !hasOffset(db, p.name)) {
    offset = Math.min(info.ack_floor.stream_seq, stream.state.last_seq)
    log.info(`${p.name}: adopting the position of consumer ${s.durable}: everything up to sequence ${offset} was applied by its previous owner`)
    writeOffset(db, p.name, p.stream, s.durable, offset, Date.now())
  }
  const owed = lowestRetry(db, p.name)
  const startSeq = Math.min(offset + 1, owed ?? Infinity)

  if (info && owed === null && consistent(info, p, offset)) {
    if (await tune(jsm, p, info, s, log)) return { kind: 'reused', startSeq: info.delivered.stream_seq + 1, offset }
  }
  if (info) {
    log.info(
      `${p.name}: recreating consumer ${s.durable} at sequence ${startSeq} (delivered ${info.delivered.stream_seq}, ` +
        `awaiting ack ${info.num_ack_pending}, applied ${offset}${owed !== null ? `, retry owed from ${owed}` : ''})`,
    )
    await jsm.consumers.delete(p.stream, s.durable)
  }
  const config: Partial<ConsumerConfig> = {
    durable_name: s.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: startSeq <= 1 ? DeliverPolicy.All : DeliverPolicy.StartSequence,
    ...(startSeq > 1 ? { opt_start_seq: startSeq } : {}),
    ...(p.filter ? { filter_subject: p.filter } : {}),
    max_deliver: s.maxDeliver,
    max_ack_pending: s.maxAckPending,
    ack_wait: nanos(s.ackWaitMs),
  }
  await jsm.consumers.add(p.stream, config)
  return { kind: info ? 'recreated' : 'created', startSeq, offset }
}

function consistent(info: ConsumerInfo, p: StreamProjector, offset: number): boolean {
  const c = info.config
  return (
    !c.deliver_subject &&
    c.ack_policy === AckPolicy.Explicit &&
    (c.filter_subject || null) === p.filter &&
    info.num_ack_pending === 0 &&
    info.delivered.stream_seq <= offset
  )
}

/** Bring a reused consumer's limits to ours; false if the server refuses (then recreate). */
async function tune(jsm: JetStreamManager, p: StreamProjector, info: ConsumerInfo, s: ConsumerSettings, log: Logger): Promise<boolean> {
  const c = info.config
  if (c.max_deliver === s.maxDeliver && c.max_ack_pending === s.maxAckPending && c.ack_wait === nanos(s.ackWaitMs)) return true
  try {
    await jsm.consumers.update(p.stream, s.durable, {
      max_deliver: s.maxDeliver,
      max_ack_pending: s.maxAckPending,
      ack_wait: nanos(s.ackWaitMs),
    })
    return true
  } catch (e) {
    log.warn(`${p.name}: consumer ${s.durable} cannot be updated; recreating it`, e)
    return false
  }
}
