import { afterEach, describe, expect, it } from 'vitest'
import { bundledMigrations, migrate } from '../../../src/main/core/db/migrate'
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open'
import {
  applyChanges,
  hasMirrorTables,
  mirroredAt,
  readMirror,
  readMirrorKey,
  replaceBucket,
  type MirrorEntry,
} from '../../../src/main/core/kv-mirror/store'
import { tempDb, tempDir } from '../../helpers/db'

// The SQLite side of the KV mirror: whole-bucket replacement, ordered changes guarded by
// revision, reads from a read-only file, and files written before migration 0007.

const T = '2026-05-20T12:00:00.000Z'
const entry = (key: string, value: string, revision: number): MirrorEntry => ({ key, value, revision, updatedAt: T })
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

function db() {
  const t = tempDb()
  cleanups.push(t.cleanup)
  return t
}

describe('kv mirror store', () => {
  it('a bucket never copied is not the same as an empty one', () => {
    const { db: d } = db()
    expect(hasMirrorTables(d)).toBe(true)
    expect(mirroredAt(d, 'jobs')).toBeNull()
    replaceBucket(d, 'jobs', [], T)
    expect(mirroredAt(d, 'jobs')).toBe(T)
    expect(readMirror(d, 'jobs')).toEqual(new Map())
  })

  it('replaceBucket swaps the whole bucket and leaves other buckets alone', () => {
    const { db: d } = db()
    replaceBucket(d, 'jobs', [entry('b', 'B1', 3), entry('a', 'A1', 2), entry('gone', 'x', 1)], T)
    replaceBucket(d, 'schedules', [entry('s', 'S', 7)], T)
    replaceBucket(d, 'jobs', [entry('a', 'A2', 5), entry('c', 'C', 6)], '2026-05-20T12:01:00.000Z')
    expect([...readMirror(d, 'jobs')]).toEqual([
      ['a', { value: 'A2', revision: 5 }],
      ['c', { value: 'C', revision: 6 }],
    ])
    expect(readMirrorKey(d, 'schedules', 's')).toEqual({ value: 'S', revision: 7 })
    expect(mirroredAt(d, 'jobs')).toBe('2026-05-20T12:01:00.000Z')
  })

  it('changes apply in order; an older revision never rolls a key back or deletes a newer value', () => {
    const { db: d } = db()
    replaceBucket(d, 'agent_groups', [entry('pc-a', '["x"]', 10), entry('pc-b', '["y"]', 11)], T)
    applyChanges(d, 'agent_groups', [
      { op: 'put', ...entry('pc-c', '["z"]', 12) },
      { op: 'put', ...entry('pc-a', '["old"]', 9) }, // late duplicate: ignored
      { op: 'delete', key: 'pc-b', revision: 13 },
      { op: 'delete', key: 'pc-c', revision: 12 - 1 }, // older than the value: ignored
      { op: 'put', ...entry('pc-a', '["new"]', 14) },
      { op: 'delete', key: 'nobody', revision: 15 },
    ])
    expect([...readMirror(d, 'agent_groups')]).toEqual([
      ['pc-a', { value: '["new"]', revision: 14 }],
      ['pc-c', { value: '["z"]', revision: 12 }],
    ])
    expect([...readMirror(d, 'agent_groups', ['pc-c', 'pc-x', 'pc-c'])]).toEqual([['pc-c', { value: '["z"]', revision: 12 }]])
    expect(readMirrorKey(d, 'agent_groups', 'pc-b')).toBeNull()
  })

  it('reads work on the file opened read-only (offline review)', () => {
    const t = db()
    replaceBucket(t.db, 'script_status', [entry('echo', 'REVOKED', 4)], T)
    closeDatabase(t.db)
    const ro = openDatabase(t.path, { readonly: true })
    try {
      expect(hasMirrorTables(ro)).toBe(true)
      expect(mirroredAt(ro, 'script_status')).toBe(T)
      expect(readMirrorKey(ro, 'script_status', 'echo')).toEqual({ value: 'REVOKED', revision: 4 })
      expect(() => replaceBucket(ro, 'script_status', [], T)).toThrow(/readonly/i)
    } finally {
      closeDatabase(ro)
    }
  })

  it('a file written before migration 0007 reads as never mirrored', () => {
    const dir = tempDir('kc-old-')
    cleanups.push(dir.cleanup)
    const old = openDatabase(`${dir.dir}/old.db`)
    migrate(old, bundledMigrations().filter((m) => m.version < 7))
    try {
      expect(hasMirrorTables(old)).toBe(false)
      expect(mirroredAt(old, 'jobs')).toBeNull()
      expect(readMirror(old, 'jobs')).toEqual(new Map())
    } finally {
      closeDatabase(old)
    }
  })
})
