import type { PushEvent } from '../../../shared/events'
import type { NatsOptions } from '../nats/connect'
import type { HeartbeatOptions } from './heartbeats'
import type { ProjectionCounts } from './index'
import type { RunnerOptions } from './runner'
import type { ProjectorStatus } from './types'
import type { WriterLogLine } from './writer'
import type { WriterErrorData } from './writer-protocol'

// Messages between the main thread (projection-thread.ts) and the projection thread
// (thread-entry.ts), which runs the whole projectors subsystem with its own NATS connection
// and its own database connection.

export interface ProjectionThreadInit {
  dbPath: string
  nativeBinding?: string
  nats: NatsOptions
  installId: string
  consumerPrefix: string | null
  /** Stream projectors by name (default: all four). */
  projectors?: string[]
  heartbeats?: false | Omit<HeartbeatOptions, 'writer'>
  runner?: Partial<Omit<RunnerOptions, 'hooks' | 'writer'>>
  statusEveryMs?: number
}

export type ToProjectionThread = { type: 'pragma'; id: number; text: string } | { type: 'stop' }

export type FromProjectionThread =
  | { type: 'ready'; status: ProjectorStatus[]; counts: ProjectionCounts }
  | { type: 'fatal'; error: WriterErrorData }
  | { type: 'event'; event: PushEvent }
  | { type: 'status'; status: ProjectorStatus[]; counts: ProjectionCounts }
  | { type: 'log'; line: WriterLogLine }
  | { type: 'pragma'; id: number; value?: unknown; error?: WriterErrorData }
  | { type: 'stopped' }
