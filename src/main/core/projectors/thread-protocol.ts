import type { PushEvent } from '../../../shared/events'
import type { NatsOptions } from '../nats/connect'
import type { HeartbeatOptions } from './heartbeats'
import type { ProjectionCounts } from './index'
import type { RunnerOptions } from './runner'
import type { ProjectorStatus } from './types'

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
  heartbeats?: false | HeartbeatOptions
  runner?: Partial<Omit<RunnerOptions, 'hooks'>>
  statusEveryMs?: number
}

/** An error crossing threads: its message and SQLite's code (isBusyError / isStorageError read it). */
export interface ThreadErrorData {
  message: string
  code?: string
}

export interface ThreadLogLine {
  level: 'error' | 'warn' | 'info' | 'debug'
  message: string
}

export type ToProjectionThread = { type: 'pragma'; id: number; text: string } | { type: 'stop' }

export type FromProjectionThread =
  | { type: 'ready'; status: ProjectorStatus[]; counts: ProjectionCounts }
  | { type: 'fatal'; error: ThreadErrorData }
  | { type: 'event'; event: PushEvent }
  | { type: 'status'; status: ProjectorStatus[]; counts: ProjectionCounts }
  | { type: 'log'; line: ThreadLogLine }
  | { type: 'pragma'; id: number; value?: unknown; error?: ThreadErrorData }
  | { type: 'stopped' }

export function errorFromData(e: ThreadErrorData): Error {
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {})
}

export function errorToData(e: unknown): ThreadErrorData {
  const code = (e as { code?: unknown } | null)?.code
  return { message: (e instanceof Error ? e.message : String(e)) || 'unknown error', ...(typeof code === 'string' ? { code } : {}) }
}
