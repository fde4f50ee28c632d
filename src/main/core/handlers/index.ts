import { agentsHandlers } from './agents'
import { resultsHandlers } from './results'
import { executionsHandlers } from './executions'
import { auditHandlers } from './audit'
import { healthHandlers } from './health'
import { inventoryHandlers } from './inventory'
import { projectorsHandlers } from './projectors'
import { jobsHandlers } from './jobs'
import { execHandlers } from './exec'
import { runHandlers } from './run'
import { scriptsHandlers } from './scripts'
import { configHandlers } from './config'
import { groupsHandlers } from './groups'
import { releasesHandlers } from './releases'
import { schedulesHandlers } from './schedules'
import { settingsHandlers } from './settings'
import type { AllHandlers } from './types'

// The implementation of every contract operation, shared by HTTP and IPC.
export const handlers = {
  ...agentsHandlers,
  ...resultsHandlers,
  ...executionsHandlers,
  ...auditHandlers,
  ...healthHandlers,
  ...inventoryHandlers,
  ...projectorsHandlers,
  ...jobsHandlers,
  ...execHandlers,
  ...runHandlers,
  ...scriptsHandlers,
  ...configHandlers,
  ...groupsHandlers,
  ...releasesHandlers,
  ...schedulesHandlers,
  ...settingsHandlers,
} as AllHandlers
