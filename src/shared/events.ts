// Push events: emitted by the core after commits, delivered by webContents.send in the
// desktop and as server-sent events over HTTP (GET /api/events).

export interface ExecutionProgress {
  exec_id: string
  job_id: string
  status: string
  target_count: number
  success_count: number
  failure_count: number
}

export interface ConnectionState {
  state: 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'closed' | 'offline_review'
  server: string | null
  since: string
  lastError: string | null
}

export interface ProjectorStatusEvent {
  name: string
  last_seq: number
  pending: number
  dead_letters: number
  last_error: string | null
  rate: number
  state: string
}

export interface PushEvents {
  /** Heartbeats changed these agents (new, online again, version/hostname changed). */
  'agents.changed': { pc_ids: string[] }
  /** These agents crossed the online window (no heartbeat received for 2 minutes) just now;
   *  an `agents.changed` with the same pc_ids goes out with it. */
  'agents.offline': { pc_ids: string[] }
  /** Result rows were inserted or finished. */
  'results.changed': { result_ids: string[]; exec_ids: string[]; pc_ids: string[] }
  'execution.progress': ExecutionProgress
  'projector.status': { projectors: ProjectorStatusEvent[] }
  'connection.state': ConnectionState
  'dead_letter.added': { projector: string; subject: string; error: string }
  'audit.added': { count: number }
  'jobs.changed': { ids: string[] }
  'schedules.changed': { ids: string[] }
}

export type PushEventName = keyof PushEvents

export interface PushEvent<K extends PushEventName = PushEventName> {
  type: K
  data: PushEvents[K]
}

export const PUSH_EVENT_NAMES: PushEventName[] = [
  'agents.changed',
  'agents.offline',
  'results.changed',
  'execution.progress',
  'projector.status',
  'connection.state',
  'dead_letter.added',
  'audit.added',
  'jobs.changed',
  'schedules.changed',
]
