import { afterEach, describe, expect, it } from 'vitest'
import { CleanupLoop } from '../../../src/main/core/control/cleanup-loop'
import { controlTuning } from '../../../src/main/core/control/tuning'
import { silentLogger } from '../../../src/main/core/log'
import type { CoreServices } from '../../../src/main/core/services'
import { tempDb } from '../../helpers/db'

const dbs: { cleanup(): void }[] = []
afterEach(() => dbs.splice(0).forEach((d) => d.cleanup()))

function seed(db: ReturnType<typeof tempDb>['db'], id: string, initiatedAt: string, status = 'pending') {
  db.prepare(
    `INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count, status) VALUES (?, 'j', '1', 'operator', ?, 1, ?)`,
  ).run(id, initiatedAt, status)
}

const status = (db: ReturnType<typeof tempDb>['db'], id: string) =>
  (db.prepare('SELECT status FROM executions WHERE exec_id = ?').get(id) as { status: string }).status

describe('cleanup loop', () => {
  it('runs at once on start, then every period, expiring pending execs older than one hour', async () => {
    const t = tempDb()
    dbs.push(t)
    let now = Date.parse('2026-05-20T12:00:00.000Z')
    seed(t.db, 'old', '2026-05-20T10:00:00.000Z')
    seed(t.db, 'edge', '2026-05-20T11:00:00.000Z')
    seed(t.db, 'legacy', '2026-05-20 10:30:00')
    seed(t.db, 'running', '2026-05-20T09:00:00.000Z', 'running')
    const core = { db: t.db, now: () => now, log: silentLogger } as unknown as CoreServices
    const saved = controlTuning.cleanupIntervalMs
    controlTuning.cleanupIntervalMs = 100
    const loop = new CleanupLoop(core)
    try {
      loop.start()
      expect(status(t.db, 'old')).toBe('expired')
      expect(status(t.db, 'legacy')).toBe('expired')
      expect(status(t.db, 'edge')).toBe('pending') // exactly one hour: strict
      expect(status(t.db, 'running')).toBe('running')
      now += 1000
      await new Promise((r) => setTimeout(r, 250))
      expect(status(t.db, 'edge')).toBe('expired')
    } finally {
      loop.stop()
      controlTuning.cleanupIntervalMs = saved
    }
  })
})
