import type { Db } from '../db/open'
import type { DeadLetterRow } from '../../../shared/api/projectors'
import { page, ts, Where } from './sql'

// Stored projector state (projector_offsets) and dead letters.

export interface StoredOffset {
  projector: string
  stream: string
  consumer: string
  last_seq: number
  updated_at: string
}

export function storedOffsets(db: Db): StoredOffset[] {
  return db.prepare('SELECT projector, stream, consumer, last_seq, updated_at FROM projector_offsets ORDER BY projector').all() as StoredOffset[]
}

export function deadLetterCounts(db: Db): Map<string, number> {
  const rows = db.prepare('SELECT projector, COUNT(*) AS n FROM dead_letters GROUP BY projector').all() as {
    projector: string
    n: number
  }[]
  return new Map(rows.map((r) => [r.projector, r.n]))
}

interface DeadLetterDbRow {
  id: number
  projector: string
  stream: string
  stream_seq: number | null
  subject: string
  payload: Buffer | string
  error: string
  deliveries: number
  created_at: string
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Text when the bytes are valid UTF-8, else base64. */
export function payloadText(payload: Buffer | string): { payload: string; payload_encoding: 'utf8' | 'base64'; size: number } {
  if (typeof payload === 'string') return { payload, payload_encoding: 'utf8', size: Buffer.byteLength(payload) }
  try {
    return { payload: utf8.decode(payload), payload_encoding: 'utf8', size: payload.length }
  } catch {
    return { payload: payload.toString('base64'), payload_encoding: 'base64', size: payload.length }
  }
}

function toDeadLetterRow(r: DeadLetterDbRow): DeadLetterRow {
  return { ...r, ...payloadText(r.payload), created_at: ts(r.created_at) ?? r.created_at }
}

export interface DeadLetterFilter {
  projector?: string
  since?: string
  until?: string
  limit: number
  offset: number
}

export function listDeadLetters(db: Db, f: DeadLetterFilter): { items: DeadLetterRow[]; total: number } {
  const where = new Where()
    .when(f.projector, 'projector = ?', f.projector)
    .when(f.since, 'created_at >= ?', f.since)
    .when(f.until, 'created_at < ?', f.until)
  const { n } = db.prepare(`SELECT COUNT(*) AS n FROM dead_letters ${where.sql}`).get(...where.args) as { n: number }
  const p = page(f.limit, f.offset)
  const rows = db
    .prepare(`SELECT * FROM dead_letters ${where.sql} ORDER BY created_at DESC, id DESC ${p.sql}`)
    .all(...where.args, ...p.args) as DeadLetterDbRow[]
  return { items: rows.map(toDeadLetterRow), total: n }
}

export function getDeadLetter(db: Db, id: number): DeadLetterRow | null {
  const r = db.prepare('SELECT * FROM dead_letters WHERE id = ?').get(id) as DeadLetterDbRow | undefined
  return r ? toDeadLetterRow(r) : null
}
