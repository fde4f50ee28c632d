import { KV as BUCKETS } from '../../../shared/nats-names'
import { publishAudit } from '../control/audit'
import { dispatchExec } from '../control/exec'
import type { SubsystemFactory } from '../console'
import { catalogSource, readCatalog } from '../kv-mirror/source'
import { subsystem, type CoreServices } from '../services'
import { SchedulerDriver } from './driver'
import type { Auditor, Dispatcher } from './fire'
import { kvFleetReads, kvScheduleSource } from './source'
import { parseScheduleEntry } from './spec'
import { readAllStates } from './state'
import { buildStateViews, buildUpcoming, type ScheduleStateView, type UpcomingFireView, type ViewEntry } from './views'

// The scheduler subsystem: wires the driver to KV, the exec pipeline (actor `scheduler`) and
// the audit publisher, and answers the API's scheduler questions (state, upcoming fires).

export const SCHEDULER = 'scheduler'

export { SchedulerDriver } from './driver'
export type { ScheduleStateView, UpcomingFireView } from './views'

export function execDispatcher(core: CoreServices): Dispatcher {
  return {
    dispatch: (r) =>
      dispatchExec(core, {
        jobId: r.jobId,
        plan: r.plan,
        actor: 'scheduler',
        tickMs: r.tickMs,
        startingDeadline: r.startingDeadline,
        scheduleId: r.scheduleId,
      }),
  }
}

export function schedulerAuditor(core: CoreServices): Auditor {
  return { audit: (action, target, payload) => void publishAudit(core, { actor: 'scheduler' }, action, target, payload) }
}

export function createSchedulerDriver(core: CoreServices, overrides: { timers?: boolean } = {}): SchedulerDriver {
  return new SchedulerDriver({
    core: { db: core.db, bus: core.bus, log: core.log.child('scheduler'), now: () => core.now() },
    source: kvScheduleSource(core),
    fleet: kvFleetReads(core),
    dispatcher: execDispatcher(core),
    auditor: schedulerAuditor(core),
    timers: overrides.timers,
  })
}

export const schedulerSubsystem: SubsystemFactory = {
  name: SCHEDULER,
  async start(core) {
    const driver = createSchedulerDriver(core)
    await driver.start()
    return driver
  },
}

/** Per-schedule scheduler state. Without a running driver (offline review, scheduler not
 *  started) it is read from KV (or its SQLite mirror) and SQLite, or from SQLite alone when
 *  the file has no mirror of KV schedules. */
export async function scheduleStates(core: CoreServices): Promise<ScheduleStateView[]> {
  const driver = subsystem<SchedulerDriver>(core, SCHEDULER)
  if (driver) return driver.states()
  return buildStateViews(await readEntries(core), readAllStates(core.db), core.now())
}

/** The next `limit` fires across the active backend schedules (or of one), soonest first. */
export async function upcomingFires(core: CoreServices, limit: number, scheduleId?: string): Promise<UpcomingFireView[]> {
  const driver = subsystem<SchedulerDriver>(core, SCHEDULER)
  if (driver) return driver.upcoming(limit, scheduleId)
  return buildUpcoming(await readEntries(core), core.now(), limit, scheduleId)
}

async function readEntries(core: CoreServices): Promise<ViewEntry[]> {
  if (!core.nats && !catalogSource(core, BUCKETS.schedules)) {
    // Offline review of a file without the KV mirror: no definitions, only what SQLite remembers.
    return readAllStates(core.db).map((r) => ({
      parsed: { ok: false, key: r.schedule_id, revision: 0, reason: r.invalid_reason ?? '', partial: {} },
      stateOnly: true,
    }))
  }
  const out: ViewEntry[] = []
  for (const [key, e] of await readCatalog(core, BUCKETS.schedules, { missing: 'unavailable' })) {
    out.push({ parsed: parseScheduleEntry(key, e.value, e.revision) })
  }
  return out
}
