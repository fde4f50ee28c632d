import { agentsOps } from './agents'
import { resultsOps } from './results'
import { executionsOps } from './executions'
import { auditOps } from './audit'
import { healthOps } from './health'
import { inventoryOps } from './inventory'
import { projectorsOps } from './projectors'
import { jobsOps } from './jobs'
import { execOps } from './exec'
import { runOps } from './run'
import { scriptsOps } from './scripts'
import { configOps } from './config'
import { groupsOps } from './groups'
import { releasesOps } from './releases'
import { schedulesOps } from './schedules'
import { settingsOps } from './settings'

// Every operation of the console, keyed by its name (the preload function name and
// the IPC channel suffix). Declared once per domain file.
export const operations = {
  ...agentsOps,
  ...resultsOps,
  ...executionsOps,
  ...auditOps,
  ...healthOps,
  ...inventoryOps,
  ...projectorsOps,
  ...jobsOps,
  ...execOps,
  ...runOps,
  ...scriptsOps,
  ...configOps,
  ...groupsOps,
  ...releasesOps,
  ...schedulesOps,
  ...settingsOps,
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
export * from './op'
export * from './errors'
