// Every subject, stream, KV bucket and object store name of kanade 0.30
// (kanade-protocol.md §2–§3), in one place.

export const subjects = {
  commandsAll: 'commands.all',
  commandsGroup: (group: string) => `commands.group.${group}`,
  commandsPc: (pcId: string) => `commands.pc.${pcId}`,
  results: (requestId: string) => `results.${requestId}`,
  eventsStarted: (execId: string, pcId: string) => `events.started.${execId}.${pcId}`,
  heartbeat: (pcId: string) => `heartbeat.${pcId}`,
  kill: (execId: string) => `kill.${execId}`,
  logsFetch: (pcId: string) => `logs.fetch.${pcId}`,
  audit: (actor: string, action: string, target?: string | null) =>
    target ? `audit.${actor}.${action}.${target}` : `audit.${actor}.${action}`,
  inventory: (pcId: string, category: 'hw' | 'sw' | 'net') => `inventory.${pcId}.${category}`,
} as const

export const filters = {
  heartbeat: 'heartbeat.>',
  eventsStarted: 'events.started.>',
  results: 'results.>',
  audit: 'audit.>',
  commands: 'commands.>',
  inventory: 'inventory.>',
} as const

const DAY_NS = 24 * 60 * 60 * 1e9

export interface StreamSpec {
  name: string
  subjects: string[]
  maxAgeNs: number // 0 = unlimited
  maxMsgsPerSubject?: number
  discard?: 'old' | 'new'
}

/** The five 0.30 streams with their 0.30 settings. */
export const STREAMS: StreamSpec[] = [
  { name: 'INVENTORY', subjects: ['inventory.>'], maxAgeNs: 90 * DAY_NS },
  { name: 'RESULTS', subjects: ['results.>'], maxAgeNs: 30 * DAY_NS },
  { name: 'EXEC', subjects: ['commands.>'], maxAgeNs: 7 * DAY_NS, maxMsgsPerSubject: 1, discard: 'old' },
  { name: 'EVENTS', subjects: ['events.>'], maxAgeNs: 7 * DAY_NS },
  { name: 'AUDIT', subjects: ['audit.>'], maxAgeNs: 0 },
]

export const KV = {
  scriptCurrent: 'script_current',
  scriptStatus: 'script_status',
  agentsState: 'agents_state',
  agentConfig: 'agent_config',
  agentGroups: 'agent_groups',
  schedules: 'schedules',
  jobs: 'jobs',
} as const

/** The seven 0.30 KV buckets and their history depth. */
export const KV_BUCKETS: { name: string; history: number }[] = [
  { name: KV.scriptCurrent, history: 5 },
  { name: KV.scriptStatus, history: 5 },
  { name: KV.agentsState, history: 1 },
  { name: KV.agentConfig, history: 5 },
  { name: KV.agentGroups, history: 5 },
  { name: KV.schedules, history: 5 },
  { name: KV.jobs, history: 5 },
]

export const OBJECT_STORES = ['agent_releases'] as const
export const AGENT_RELEASES = 'agent_releases'

/** KV keys of config scopes. */
export const configKey = {
  global: 'global',
  group: (g: string) => `groups.${g}`,
  pc: (pc: string) => `pcs.${pc}`,
} as const

/** Token rules for pc ids and group names used as subject tokens / KV key suffixes. */
export const TOKEN_RE = /^[A-Za-z0-9_\-=/]+$/
export function isValidToken(s: string): boolean {
  return s.length > 0 && s.length <= 255 && TOKEN_RE.test(s)
}
