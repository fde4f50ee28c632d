import type { EventStarted } from '../../../shared/wire'
import { filters } from '../../../shared/nats-names'
import { fastDecodeEventStarted } from './fast-decode'
import { stmt } from './ledger'
import { canonicalNow, canonicalTime } from './timestamps'
import type { StreamProjector } from './types'

// events.started projector (reference §3.2): an in-flight execution_results row per start
// event, insert-if-absent by result_id. A start event after its result changes nothing
// (no ghost "running" row). Like 0.30 it leaves `executions` alone.

const INSERT = `INSERT INTO execution_results
  (result_id, request_id, exec_id, pc_id, started_at, recorded_at, job_id, version)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(result_id) DO NOTHING`

export const eventsStartedProjector: StreamProjector<EventStarted> = {
  name: 'events',
  consumerSuffix: 'events_projector',
  stream: 'EVENTS',
  filter: filters.eventsStarted,
  hasData: (db) => stmt(db, "SELECT 1 FROM execution_results LIMIT 1").get() !== undefined,
  decode: (m) => fastDecodeEventStarted(m.data),
  apply(env, e, _m, changes) {
    const r = stmt(env.db, INSERT).run(
      e.result_id,
      e.request_id,
      e.exec_id,
      e.pc_id,
      canonicalTime(e.started_at),
      canonicalNow(env.now()),
      e.manifest_id,
      e.version,
    )
    if (r.changes === 0) return false
    changes.resultChanged(e.result_id, e.exec_id, e.pc_id)
    return true
  },
}
