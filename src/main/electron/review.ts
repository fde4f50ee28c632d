import { resolve } from 'node:path'
import type { ConsoleConfig } from '../core/config'
import { openDatabase, type Db } from '../core/db/open'

// Offline review and export: a console database opened read-only with no NATS (another
// seat's copy, an earlier export), and the current database copied out with SQLite's online
// backup (consistent while the projectors keep writing).

/** The live configuration turned into an offline review of `file`. */
export function reviewConfig(base: ConsoleConfig, file: string): ConsoleConfig {
  const path = resolve(file)
  return { ...base, reviewDb: path, dbPath: path }
}

/** A default export name: kanade-console-20260520-120005.db (local time). */
export function exportFileName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `kanade-console-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-` +
    `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.db`
  )
}

/** Copy the open database to `target` (SQLite online backup). Refuses to overwrite the source. */
export async function exportDatabase(db: Db, sourcePath: string, target: string): Promise<{ path: string; pages: number }> {
  const to = resolve(target)
  if (to === resolve(sourcePath)) throw new Error('choose another file: this is the database the console is using')
  const result = await db.backup(to)
  // A rollback-journal file opens read-only anywhere (a WAL file needs a writable folder for
  // its -shm), which is what a copy for review wants.
  const copy = openDatabase(to)
  try {
    copy.pragma('journal_mode = DELETE')
  } finally {
    copy.close()
  }
  return { path: to, pages: result.totalPages }
}
