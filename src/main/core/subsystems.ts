import type { ConsoleConfig } from './config'
import type { SubsystemFactory } from './console'

/** The subsystems `serve` and the desktop start, in order. */
export function defaultSubsystems(config: ConsoleConfig): SubsystemFactory[] {
  if (config.reviewDb) return []
  const list: SubsystemFactory[] = []
  return list
}
