import type { InventoryHint } from '../../../shared/wire'
import type { PlainChanges } from './changes'
import type { IncomingMessage, Outcome } from './types'
import type { WriterLogLine } from './writer'

// Messages between the main thread (worker-writer.ts) and the projection writer thread
// (writer-thread.ts). Payloads are packed into one transferred buffer per batch: a JetStream
// message's data is a view into a larger socket buffer, and structured-cloning a view copies
// its whole backing buffer.

export interface WriterInit {
  path: string
  /** better_sqlite3.node for this process's ABI (Electron), or undefined for the package's own. */
  nativeBinding?: string
  busyTimeoutMs: number
  /** wal_autocheckpoint of the main connection (0 while the checkpoint worker runs). */
  autoCheckpoint: number
  maxOutputBytes?: number
  /** Inventory hints by manifest id at start; later changes come as `hint` messages. */
  hints: [string, InventoryHint | null][]
}

export interface PackedBatch {
  streams: string[]
  seqs: number[]
  subjects: string[]
  deliveries: number[]
  /** End offset of each payload in `bytes` (start = previous end). */
  ends: number[]
  bytes: Uint8Array
}

export type ToWriter =
  | {
      type: 'apply'
      id: number
      projector: string
      batch: PackedBatch
      opts: { maxDeliver: number; consumer: string; budgetMs: number; maxMessages: number }
      /** The console's clock for this batch (recorded_at, created_at…). */
      now: number
    }
  | {
      type: 'heartbeats'
      id: number
      subjects: string[]
      receivedAt: number[]
      ends: number[]
      bytes: Uint8Array
      now: number
    }
  | { type: 'hint'; key: string; hint: InventoryHint | null; deleted: boolean }
  | { type: 'pragma'; id: number; text: string }
  | { type: 'stop' }

export interface WriterErrorData {
  message: string
  code?: string
}

export type FromWriter =
  | { type: 'ready' }
  | { type: 'fatal'; error: WriterErrorData }
  | {
      type: 'applied'
      id: number
      outcomes: Outcome[]
      consumed: number
      lastSeq: number
      changes: PlainChanges
      logs: WriterLogLine[]
    }
  | { type: 'beats'; id: number; changes: PlainChanges }
  | { type: 'failed'; id: number; error: WriterErrorData; logs: WriterLogLine[] }
  | { type: 'pragma'; id: number; value?: unknown; error?: WriterErrorData }

export function packBatch(msgs: IncomingMessage[]): PackedBatch {
  const { ends, bytes } = packBytes(msgs.map((m) => m.data))
  return {
    streams: msgs.map((m) => m.stream),
    seqs: msgs.map((m) => m.seq),
    subjects: msgs.map((m) => m.subject),
    deliveries: msgs.map((m) => m.deliveries),
    ends,
    bytes,
  }
}

/** Payloads of several messages in one buffer, and the end offset of each. */
export function packBytes(parts: Uint8Array[]): { ends: number[]; bytes: Uint8Array } {
  let size = 0
  for (const p of parts) size += p.byteLength
  const bytes = new Uint8Array(size)
  const ends: number[] = new Array(parts.length)
  let at = 0
  for (let i = 0; i < parts.length; i++) {
    bytes.set(parts[i], at)
    at += parts[i].byteLength
    ends[i] = at
  }
  return { ends, bytes }
}

export function unpackBatch(b: PackedBatch): IncomingMessage[] {
  const out: IncomingMessage[] = new Array(b.seqs.length)
  let start = 0
  for (let i = 0; i < out.length; i++) {
    out[i] = { stream: b.streams[i], seq: b.seqs[i], subject: b.subjects[i], deliveries: b.deliveries[i], data: b.bytes.subarray(start, b.ends[i]) }
    start = b.ends[i]
  }
  return out
}

/** An Error carrying SQLite's code, as better-sqlite3 throws it (isBusyError / isStorageError read it). */
export function errorFromData(e: WriterErrorData): Error {
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {})
}

export function errorToData(e: unknown): WriterErrorData {
  const code = (e as { code?: unknown } | null)?.code
  return { message: (e instanceof Error ? e.message : String(e)) || 'unknown error', ...(typeof code === 'string' ? { code } : {}) }
}
