import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closeDatabase, openDatabase, type Db } from '../../src/main/core/db/open'
import { migrate } from '../../src/main/core/db/migrate'

/** A migrated SQLite file in a temp folder; cleanup() closes and removes it. */
export function tempDb(): { db: Db; path: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kanade-db-'))
  const path = join(dir, 'console.db')
  const db = openDatabase(path)
  migrate(db)
  return {
    db,
    path,
    dir,
    cleanup() {
      closeDatabase(db)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function tempDir(prefix = 'kanade-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
