import { KV } from '../../../shared/nats-names'
import type { Db } from '../db/open'

// The SQLite side of the KV mirror (migration 0007): a bucket is replaced whole after a full
// read, then changed key by key as the watch delivers puts and deletes. Each call is one
// transaction. Reads work on a read-only file too (offline review).

/** The buckets the dashboard reads; agents_state (agent-owned) is not mirrored. */
export const MIRRORED_BUCKETS: readonly string[] = [KV.jobs, KV.schedules, KV.scriptStatus, KV.scriptCurrent, KV.agentGroups, KV.agentConfig]

export interface MirrorValue {
  value: string
  revision: number
}

export interface MirrorEntry extends MirrorValue {
  key: string
  /** Canonical time the value was written to KV. */
  updatedAt: string
}

export type MirrorChange = ({ op: 'put' } & MirrorEntry) | { op: 'delete'; key: string; revision: number }

const tableKnown = new WeakSet<Db>()

/** True when the file has the mirror tables (a file written before migration 0007 has not). */
export function hasMirrorTables(db: Db): boolean {
  if (tableKnown.has(db)) return true
  const n = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('kv_mirror', 'kv_mirror_sync')").get() as { n: number }).n
  if (n === 2) tableKnown.add(db)
  return n === 2
}

/** When the bucket was last copied whole, or null when it never was. */
export function mirroredAt(db: Db, bucket: string): string | null {
  if (!hasMirrorTables(db)) return null
  const row = db.prepare('SELECT synced_at FROM kv_mirror_sync WHERE bucket = ?').get(bucket) as { synced_at: string } | undefined
  return row?.synced_at ?? null
}

/** Replace every row of `bucket` with `entries` and record the sync, in one transaction. */
export function replaceBucket(db: Db, bucket: string, entries: readonly MirrorEntry[], syncedAt: string): void {
  const clear = db.prepare('DELETE FROM kv_mirror WHERE bucket = ?')
  const insert = db.prepare('INSERT INTO kv_mirror (bucket, key, value, revision, updated_at) VALUES (?, ?, ?, ?, ?)')
  const synced = db.prepare(
    'INSERT INTO kv_mirror_sync (bucket, synced_at) VALUES (?, ?) ON CONFLICT (bucket) DO UPDATE SET synced_at = excluded.synced_at',
  )
  db.transaction(() => {
    clear.run(bucket)
    for (const e of entries) insert.run(bucket, e.key, e.value, e.revision, e.updatedAt)
    synced.run(bucket, syncedAt)
  })()
}

/** Apply watched changes in order, in one transaction. A change older than the stored
 *  revision of its key is ignored, so a late duplicate never rolls a value back. */
export function applyChanges(db: Db, bucket: string, changes: readonly MirrorChange[]): void {
  if (!changes.length) return
  const put = db.prepare(
    `INSERT INTO kv_mirror (bucket, key, value, revision, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value, revision = excluded.revision, updated_at = excluded.updated_at
     WHERE excluded.revision >= kv_mirror.revision`,
  )
  const del = db.prepare('DELETE FROM kv_mirror WHERE bucket = ? AND key = ? AND revision <= ?')
  db.transaction(() => {
    for (const c of changes) {
      if (c.op === 'put') put.run(bucket, c.key, c.value, c.revision, c.updatedAt)
      else del.run(bucket, c.key, c.revision)
    }
  })()
}

/** Mirrored values of a bucket (all keys, or only the named ones), sorted by key. */
export function readMirror(db: Db, bucket: string, only?: readonly string[]): Map<string, MirrorValue> {
  const out = new Map<string, MirrorValue>()
  if (!hasMirrorTables(db)) return out
  type Row = { key: string; value: string; revision: number }
  if (!only) {
    const rows = db.prepare('SELECT key, value, revision FROM kv_mirror WHERE bucket = ? ORDER BY key').all(bucket) as Row[]
    for (const r of rows) out.set(r.key, { value: r.value, revision: r.revision })
    return out
  }
  const one = db.prepare('SELECT key, value, revision FROM kv_mirror WHERE bucket = ? AND key = ?')
  for (const key of [...new Set(only)].sort()) {
    const r = one.get(bucket, key) as Row | undefined
    if (r) out.set(r.key, { value: r.value, revision: r.revision })
  }
  return out
}

export function readMirrorKey(db: Db, bucket: string, key: string): MirrorValue | null {
  return readMirror(db, bucket, [key]).get(key) ?? null
}
