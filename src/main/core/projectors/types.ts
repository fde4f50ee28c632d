import type { Db } from '../db/open'
import type { Logger } from '../log'
import type { InventoryHint } from '../../../shared/wire'
import type { ChangeSet } from './changes'
import type { ProjectorStatusEvent } from '../../../shared/events'

// Shared shapes of the projectors: a stream message as the pure apply path sees it, the
// environment an apply runs in, and the definition every stream projector provides.

/** One JetStream message, stripped to what projection needs (tests build these directly). */
export interface IncomingMessage {
  stream: string
  seq: number
  subject: string
  data: Uint8Array
  /** 1 on the first delivery (JetStream's delivery count). */
  deliveries: number
}

/** Manifest inventory hints by manifest id (fed by a KV watch on `jobs`). */
export interface ManifestLookup {
  /** undefined = no such manifest (or it does not decode); null = a manifest without hint. */
  inventoryHint(manifestId: string): InventoryHint | null | undefined
}

export interface ApplyEnv {
  db: Db
  /** Clock (ms since epoch) for recorded_at / updated_at / created_at. */
  now(): number
  manifests: ManifestLookup
  log: Logger
  /** Cap per stored stdout / stderr (default output-cap.ts DEFAULT_MAX_OUTPUT_BYTES). */
  maxOutputBytes?: number
}

/** A projector fed by a durable JetStream consumer. */
export interface StreamProjector<T = unknown> {
  /** Key in projector_offsets / dead_letters, e.g. `results`. */
  name: string
  /** Durable name suffix: the consumer is `<prefix>_<consumerSuffix>`. */
  consumerSuffix: string
  stream: string
  /** Consumer filter subject; null = the whole stream. */
  filter: string | null
  /** Parse and validate; throws on anything that can never apply (dead-lettered at once). */
  decode(msg: IncomingMessage): T
  /** Write the rows inside the caller's transaction; true when something changed. */
  apply(env: ApplyEnv, value: T, msg: IncomingMessage, changes: ChangeSet): boolean
  /** Write what apply() deferred (e.g. coalesced counters), last in the same transaction. */
  flush?(env: ApplyEnv, changes: ChangeSet): void
  /** The projection already holds rows (e.g. a database imported from kanade-backend). */
  hasData(db: Db): boolean
}

export type OutcomeKind =
  /** Applied and changed rows. */
  | 'applied'
  /** Applied, changed nothing (duplicate content, guard held). */
  | 'unchanged'
  /** At or below the stored offset and not owed: already applied, acked again. */
  | 'skipped'
  /** Written to dead_letters, acked. */
  | 'dead_letter'
  /** Apply failed; nak with `delayMs` so JetStream redelivers. */
  | 'retry'

export interface Outcome {
  seq: number
  kind: OutcomeKind
  error?: string
  /** For `retry`: failed attempts so far and the nak delay. */
  attempts?: number
  delayMs?: number
}

export type ProjectorState = 'starting' | 'running' | 'retrying' | 'restarting' | 'stopped'

/** Status of one projector, as `GET /api/projectors` and `projector.status` show it. */
export interface ProjectorStatus {
  name: string
  consumer: string | null
  stream: string | null
  last_seq: number
  /** Stream messages not yet delivered to the consumer (consumer num_pending). */
  pending: number
  dead_letters: number
  last_error: string | null
  /** Messages settled per second over the last few seconds. */
  rate: number
  state: ProjectorState
  /** Time of the last committed batch. */
  updated_at: string | null
}

/** The row of the `projector.status` push event (the status without consumer, stream, time). */
export function statusEventRow(s: ProjectorStatus): ProjectorStatusEvent {
  const { name, last_seq, pending, dead_letters, last_error, rate, state } = s
  return { name, last_seq, pending, dead_letters, last_error, rate, state }
}
