// The WAL checkpoint worker: the main connection stops auto-checkpointing while the worker
// runs PASSIVE checkpoints (RESTART once the log is long); stopping it (or losing it)
// restores automatic checkpoints.
import { statSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { startWalCheckpointer } from '../../../src/main/core/projectors/wal-checkpointer'
import { openDatabase } from '../../../src/main/core/db/open'
import { silentLogger } from '../../../src/main/core/log'
import { tempDb } from '../../helpers/db'

let cleanup: (() => void) | null = null
afterEach(() => cleanup?.())

const autoPages = (db: ReturnType<typeof tempDb>['db']) => Number(db.pragma('wal_autocheckpoint', { simple: true }))

describe('startWalCheckpointer', () => {
  it('moves checkpoints to a worker that keeps the WAL backfilled, and restores auto-checkpoints on stop', async () => {
    const t = tempDb()
    cleanup = t.cleanup
    const cp = startWalCheckpointer(t.db, silentLogger, { intervalMs: 10 })
    expect(cp).not.toBeNull()
    expect(autoPages(t.db)).toBe(0)
    const waitFor = async (pred: () => boolean) => {
      const start = Date.now()
      while (!pred() && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 10))
    }
    await waitFor(() => cp!.runs > 0) // the worker is up before anything is written
    const base = statSync(t.path).size
    t.db.exec('CREATE TABLE filler (x TEXT)')
    const ins = t.db.prepare('INSERT INTO filler VALUES (?)')
    t.db.transaction(() => {
      for (let i = 0; i < 5000; i++) ins.run('y'.repeat(200))
    })()
    // The main connection never checkpoints now: only the worker's later runs can copy the
    // ~1 MB of rows from the WAL into the database file.
    await waitFor(() => statSync(t.path).size > base + 900_000)
    expect(statSync(t.path).size).toBeGreaterThan(base + 900_000)
    await cp!.stop()
    expect(autoPages(t.db)).toBe(1000)
  })

  it('makes the log start over under a writer that never pauses, so the WAL file stays bounded', async () => {
    // ~20 MB of random-key rows committed back to back, yielding only briefly. PASSIVE
    // checkpoints alone never catch up with such a writer: the log only grows.
    const peakWal = async (restartFrames: number) => {
      const t = tempDb()
      try {
        const cp = startWalCheckpointer(t.db, silentLogger, { intervalMs: 5, restartFrames })
        const start = Date.now()
        while (cp!.runs === 0 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 5))
        t.db.exec('CREATE TABLE filler (k TEXT PRIMARY KEY, v TEXT)')
        const ins = t.db.prepare('INSERT INTO filler VALUES (?, ?)')
        let peak = 0
        for (let round = 0; round < 50; round++) {
          t.db.transaction(() => {
            for (let i = 0; i < 200; i++) ins.run(`${round}-${i}-${Math.random()}`, 'z'.repeat(2000))
          })()
          peak = Math.max(peak, statSync(`${t.path}-wal`).size)
          await new Promise((r) => setTimeout(r, 2))
        }
        await cp!.stop()
        expect(t.db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(10_000)
        return peak
      } finally {
        t.cleanup()
      }
    }
    const withoutRestart = await peakWal(1e9)
    const withRestart = await peakWal(200)
    expect(withoutRestart).toBeGreaterThan(20_000_000)
    expect(withRestart).toBeLessThan(withoutRestart / 2)
  })

  it('does nothing for an in-memory database', () => {
    const db = openDatabase(':memory:')
    cleanup = () => db.close()
    expect(startWalCheckpointer(db, silentLogger)).toBeNull()
    expect(autoPages(db)).toBe(1000)
  })
})
