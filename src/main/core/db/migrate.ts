import { createHash } from 'node:crypto'
import type { Db } from './open'

export interface Migration {
  version: number
  name: string
  sql: string
}

// The SQL files are bundled at build time (vite's import.meta.glob), so the same
// code works from source (vitest), from `out/` (serve) and inside a packaged app.
const files = import.meta.glob('../../../../migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>

const FILE_RE = /(\d{4})_([a-z0-9_]+)\.sql$/

/** The project's migrations, in order. */
export function bundledMigrations(): Migration[] {
  return parseMigrationFiles(files)
}

export function parseMigrationFiles(entries: Record<string, string>): Migration[] {
  const list = Object.entries(entries).map(([path, sql]) => {
    const m = FILE_RE.exec(path)
    if (!m) throw new Error(`migration file name must look like NNNN_name.sql: ${path}`)
    return { version: Number(m[1]), name: m[2], sql }
  })
  list.sort((a, b) => a.version - b.version)
  for (let i = 1; i < list.length; i++) {
    if (list[i].version === list[i - 1].version) {
      throw new Error(`two migrations share number ${list[i].version}`)
    }
  }
  return list
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex')
}

export class MigrationError extends Error {}

/** Apply pending migrations, each in its own transaction; refuse if an applied file changed. */
export function migrate(db: Db, migrations: Migration[] = bundledMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
  )`)
  const applied = new Map(
    (db.prepare('SELECT version, name, checksum FROM schema_migrations').all() as {
      version: number
      name: string
      checksum: string
    }[]).map((r) => [r.version, r]),
  )
  for (const m of migrations) {
    const row = applied.get(m.version)
    if (row && row.checksum !== checksum(m.sql)) {
      throw new MigrationError(
        `migration ${String(m.version).padStart(4, '0')}_${m.name}.sql was edited after it was applied ` +
          `to this database; restore the original file and add a new migration instead`,
      )
    }
  }
  const newest = migrations.length ? migrations[migrations.length - 1].version : 0
  for (const v of applied.keys()) {
    if (v > newest) {
      throw new MigrationError(
        `this database was written by a newer kanade-console (migration ${v}); upgrade the console`,
      )
    }
  }
  const done: number[] = []
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  )
  for (const m of migrations) {
    if (applied.has(m.version)) continue
    db.transaction(() => {
      db.exec(m.sql)
      record.run(m.version, m.name, checksum(m.sql), new Date().toISOString())
    })()
    done.push(m.version)
  }
  return done
}
