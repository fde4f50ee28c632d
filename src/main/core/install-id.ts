import { randomBytes } from 'node:crypto'
import type { Db } from './db/open'

/** The per-install id (kept in console_settings): default durable-consumer prefix. */
export function installId(db: Db): string {
  const row = db.prepare("SELECT value FROM console_settings WHERE key = 'install_id'").get() as
    | { value: string }
    | undefined
  if (row) return row.value
  const id = `kc${randomBytes(4).toString('hex')}`
  if (!db.readonly) {
    db.prepare("INSERT INTO console_settings (key, value) VALUES ('install_id', ?)").run(id)
  }
  return id
}
