import type { ConsoleConfig } from './config'
import type { SubsystemFactory } from './console'
import { controlSubsystem } from './control/subsystem'
import { kvMirrorSubsystem } from './kv-mirror'
import { livenessSubsystem } from './liveness'
import { projectorsSubsystem } from './projectors'
import { reaperSubsystem } from './reaper'
import { retentionSubsystem } from './retention'
import { schedulerSubsystem } from './scheduler'

/** The subsystems `serve` and the desktop start, in order. */
export function defaultSubsystems(config: ConsoleConfig): SubsystemFactory[] {
  if (config.reviewDb) return []
  const list: SubsystemFactory[] = []
  // Projectors first: JetStream → SQLite, everything else reads what they write (issue 3).
  list.push(projectorsSubsystem)
  // Control plane: persisted wave publishes and the cleanup loop (issue 5); before the scheduler.
  list.push(controlSubsystem)
  // KV mirror: copies the catalog buckets into SQLite so offline review can show them.
  list.push(kvMirrorSubsystem)
  // Scheduler: fires KV schedules through the control plane's exec pipeline (issue 6).
  list.push(schedulerSubsystem)
  // Liveness: announces agents crossing the 2-minute online window (a timer, no broker needed).
  list.push(livenessSubsystem)
  // Housekeeping last: it works on what the projectors wrote (issue 10).
  list.push(reaperSubsystem, retentionSubsystem)
  return list
}
