import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type Db = Database.Database

export interface OpenOptions {
  /** Offline review: open an existing file read-only, never migrate or write. */
  readonly?: boolean
  busyTimeoutMs?: number
  /** Path of a better_sqlite3.node built for another ABI (Electron); default: the package's own build. */
  nativeBinding?: string
}

// The desktop app runs under Electron, whose ABI differs from Node's: its main process sets
// the Electron build once for every database it opens (the ABI is a property of the process).
let processNativeBinding: string | undefined

/** Use this better_sqlite3.node for every database opened later in this process. */
export function setSqliteNativeBinding(path: string | undefined): void {
  processNativeBinding = path
}

/** The better_sqlite3.node this process uses (Electron's ABI), if one was set. */
export function sqliteNativeBinding(): string | undefined {
  return processNativeBinding
}

/** The WAL file is cut back to this size whenever the log starts over. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

/** Open the console database with the pragmas of reference Q12: WAL, NORMAL sync, busy timeout. */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (!opts.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const nativeBinding = opts.nativeBinding ?? processNativeBinding
  const db = new Database(path, {
    readonly: !!opts.readonly,
    fileMustExist: !!opts.readonly,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`)
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    // When the log starts over, give back the disk space a large catch-up took.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
  }
  db.pragma('foreign_keys = ON')
  return db
}

/** Close cleanly: checkpoint the WAL into the main file so a copied .db is complete. */
export function closeDatabase(db: Db): void {
  if (!db.open) return
  if (!db.readonly) {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // a locked checkpoint is not fatal: the WAL is replayed on the next open
    }
  }
  db.close()
}

/** True for SQLite's transient lock errors, which must be retried, never acked away. */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? ''
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')
}
