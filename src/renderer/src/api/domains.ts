import { agentsOps } from '@shared/api/agents'
import { auditOps } from '@shared/api/audit'
import { configOps } from '@shared/api/config'
import { execOps } from '@shared/api/exec'
import { executionsOps } from '@shared/api/executions'
import { groupsOps } from '@shared/api/groups'
import { healthOps } from '@shared/api/health'
import { inventoryOps } from '@shared/api/inventory'
import { jobsOps } from '@shared/api/jobs'
import { projectorsOps } from '@shared/api/projectors'
import { releasesOps } from '@shared/api/releases'
import { resultsOps } from '@shared/api/results'
import { runOps } from '@shared/api/run'
import { schedulesOps } from '@shared/api/schedules'
import { scriptsOps } from '@shared/api/scripts'
import { settingsOps } from '@shared/api/settings'
import type { PushEventName } from '@shared/events'

// Which contract domain each operation belongs to: query keys start with the domain so a push
// event can invalidate every cached read of the domains it touches.

export type Domain =
  | 'agents' | 'audit' | 'config' | 'exec' | 'executions' | 'groups' | 'health' | 'inventory'
  | 'jobs' | 'projectors' | 'releases' | 'results' | 'run' | 'schedules' | 'scripts' | 'settings'

const BY_DOMAIN: Record<Domain, object> = {
  agents: agentsOps, audit: auditOps, config: configOps, exec: execOps, executions: executionsOps,
  groups: groupsOps, health: healthOps, inventory: inventoryOps, jobs: jobsOps, projectors: projectorsOps,
  releases: releasesOps, results: resultsOps, run: runOps, schedules: schedulesOps, scripts: scriptsOps, settings: settingsOps,
}

const DOMAIN_OF = new Map<string, Domain>()
for (const [d, ops] of Object.entries(BY_DOMAIN)) for (const n of Object.keys(ops)) DOMAIN_OF.set(n, d as Domain)

export function domainOf(op: string): Domain | 'other' {
  return DOMAIN_OF.get(op) ?? 'other'
}

/** The cached reads each push event makes stale. */
export const STALE_ON: Record<PushEventName, Domain[]> = {
  'agents.changed': ['agents', 'health', 'groups'],
  // Always sent together with an agents.changed for the same PCs (desktop notifications use it).
  'agents.offline': [],
  'results.changed': ['results', 'executions', 'health', 'inventory'],
  'execution.progress': ['executions'],
  'projector.status': ['projectors'],
  'connection.state': ['health', 'settings'],
  'dead_letter.added': ['projectors'],
  'audit.added': ['audit'],
  'jobs.changed': ['jobs', 'scripts', 'inventory'],
  'schedules.changed': ['schedules'],
}
