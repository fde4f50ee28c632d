import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open'
import { sqliteBindingPath } from '../../../src/main/electron/native-sqlite'
import { exportDatabase, exportFileName, reviewConfig } from '../../../src/main/electron/review'
import { tempDb } from '../../helpers/db'
import { testConfig } from './fake-core'

describe('database export for review', () => {
  const t = tempDb()
  afterAll(() => t.cleanup())

  it('copies a live WAL database into a file that opens read-only elsewhere', async () => {
    t.db.prepare("INSERT INTO agents (pc_id, hostname) VALUES ('PC-1', 'one')").run()
    const target = join(t.dir, 'copy.db')
    const r = await exportDatabase(t.db, t.path, target)
    expect(r.path).toBe(target)
    expect(r.pages).toBeGreaterThan(0)
    expect(existsSync(`${target}-wal`)).toBe(false)
    const copy = openDatabase(target, { readonly: true })
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
    expect(copy.prepare('SELECT hostname FROM agents WHERE pc_id = ?').get('PC-1')).toEqual({ hostname: 'one' })
    expect(() => copy.prepare("INSERT INTO agents (pc_id) VALUES ('PC-2')").run()).toThrow(/readonly/)
    closeDatabase(copy)
  })

  it('refuses to overwrite the database in use', async () => {
    await expect(exportDatabase(t.db, t.path, t.path)).rejects.toThrow(/another file/)
  })

  it('names exports by local time', () => {
    expect(exportFileName(new Date(2026, 4, 20, 9, 5, 7))).toBe('kanade-console-20260520-090507.db')
  })

  it('a review configuration points the database at the file', () => {
    const c = reviewConfig(testConfig(t.dir), 'rel/seat.db')
    expect(c.reviewDb).toBe(join(process.cwd(), 'rel/seat.db'))
    expect(c.dbPath).toBe(c.reviewDb)
  })
})

describe('better-sqlite3 for Electron', () => {
  const all = () => true
  it('development: the build prepared in native/electron', () => {
    expect(sqliteBindingPath({ isPackaged: false, appPath: '/src/kc', resourcesPath: '/x', exists: all })).toBe(
      '/src/kc/native/electron/better-sqlite3/build/Release/better_sqlite3.node',
    )
  })
  it('installed app: the build shipped in the resources', () => {
    expect(sqliteBindingPath({ isPackaged: true, appPath: '/x/app.asar', resourcesPath: '/opt/kc/resources', exists: all })).toBe(
      '/opt/kc/resources/native/better_sqlite3.node',
    )
  })
  it('missing build: the package default (the error screen then explains)', () => {
    expect(sqliteBindingPath({ isPackaged: false, appPath: '/src/kc', resourcesPath: '/x', exists: () => false })).toBeUndefined()
  })
})
