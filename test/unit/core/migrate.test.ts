import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import { bundledMigrations, migrate, MigrationError, parseMigrationFiles } from '../../../src/main/core/db/migrate'

let db: Db
afterEach(() => db?.close())

const tables = (d: Db) =>
  (d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name)

describe('migrations', () => {
  it('creates the kanade 0.30 tables and the console tables, recorded in order', () => {
    db = openDatabase(':memory:')
    const applied = migrate(db)
    expect(applied).toEqual(bundledMigrations().map((m) => m.version))
    expect(applied).toEqual([...applied].sort((a, b) => a - b))
    for (const t of ['agents', 'execution_results', 'executions', 'inventory_facts', 'audit_log', 'projector_offsets', 'dead_letters']) {
      expect(tables(db)).toContain(t)
    }
    const cols = (db.prepare('PRAGMA table_info(execution_results)').all() as { name: string }[]).map((c) => c.name)
    // kanade's columns come first, in kanade's order; console columns may follow.
    expect(cols.slice(0, 12)).toEqual(['result_id', 'request_id', 'exec_id', 'pc_id', 'exit_code', 'stdout', 'stderr', 'started_at', 'finished_at', 'recorded_at', 'job_id', 'version'])
  })

  it('is idempotent: a second run applies nothing', () => {
    db = openDatabase(':memory:')
    migrate(db)
    expect(migrate(db)).toEqual([])
  })

  it('applies files in numeric order regardless of listing order', () => {
    const list = parseMigrationFiles({ '/m/0002_b.sql': 'CREATE TABLE b (x)', '/m/0001_a.sql': 'CREATE TABLE a (x)' })
    expect(list.map((m) => m.name)).toEqual(['a', 'b'])
    db = openDatabase(':memory:')
    expect(migrate(db, list)).toEqual([1, 2])
  })

  it('refuses to start when an applied file was edited', () => {
    db = openDatabase(':memory:')
    migrate(db, [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x)' }])
    expect(() => migrate(db, [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x, y)' }])).toThrow(MigrationError)
    expect(() => migrate(db, [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x, y)' }])).toThrow(/0001_a\.sql was edited/)
  })

  it('a failing migration leaves nothing half-applied', () => {
    db = openDatabase(':memory:')
    expect(() => migrate(db, [{ version: 1, name: 'bad', sql: 'CREATE TABLE ok (x); CREATE TABLE broken (' }])).toThrow()
    expect(tables(db)).not.toContain('ok')
    expect(db.prepare('SELECT count(*) n FROM schema_migrations').get()).toEqual({ n: 0 })
  })

  it('rejects duplicate numbers and bad names', () => {
    expect(() => parseMigrationFiles({ '/0001_a.sql': '', '/0001_b.sql': '' })).toThrow(/share number 1/)
    expect(() => parseMigrationFiles({ '/foo.sql': '' })).toThrow(/NNNN_name/)
  })

  it('default timestamps are canonical RFC 3339 with milliseconds', () => {
    db = openDatabase(':memory:')
    migrate(db)
    db.prepare("INSERT INTO executions (exec_id, job_id, version, initiated_by, target_count) VALUES ('e','j','1','t',1)").run()
    const { initiated_at } = db.prepare('SELECT initiated_at FROM executions').get() as { initiated_at: string }
    expect(initiated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })
})
