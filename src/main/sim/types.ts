import type { NatsConnection } from 'nats'
import type { AgentStats, SimAgent } from './agent'
import type { AgentProfile, OsFamily } from './identity'

// The simulator's public shapes: options of startFleet and the handle it returns.

export interface FleetOptions {
  natsUrl?: string | string[]
  /** Use this connection instead of opening one (not closed by stop()). */
  nc?: NatsConnection
  token?: string | null
  /** Number of agents (default 25). */
  agents?: number
  /** Write agent_groups memberships at start, spread over these groups (as kanade's CLI would). */
  groups?: string[]
  groupShares?: number[]
  /** Built-in heartbeat interval; agent_config's heartbeat_interval overrides it (default 30 s). */
  heartbeatMs?: number
  /** First beats are spread over this window (default min(heartbeat, 1 s)). */
  firstBeatSpreadMs?: number
  seed?: number
  failRate?: number
  slowRate?: number
  flapRate?: number
  /** Relative weights of OS families (default windows 94, linux 4, macos 2). */
  osMix?: Partial<Record<OsFamily, number>>
  /** Name agents `<prefix>0001`…; default office-style names. */
  namePrefix?: string
  /** Process start-up cost per run, ms (default 150–900). */
  execTimeMs?: readonly [number, number]
  /** How long flapping agents stay online / offline (ms). */
  flapOnlineMs?: readonly [number, number]
  flapOfflineMs?: readonly [number, number]
  /** Replay EXEC's retained Commands at start, as agents with a new replay durable do. */
  replayOnBoot?: boolean
  maxInFlight?: number
  /** How long a JetStream publish waits for its PubAck before it is retried (default 30 s). */
  ackTimeoutMs?: number
  log?: (line: string) => void
}

export interface FleetStats extends AgentStats {
  agents: number
  online: number
  commands: number
  invalidCommands: number
  heartbeats: number
  results: number
  events: number
  publishRetries: number
  outboxPending: number
}

export interface AgentSummary {
  pcId: string
  hostname: string
  osFamily: string
  agentVersion: string
  profile: AgentProfile
  groups: string[]
  online: boolean
}

export interface Fleet {
  readonly nc: NatsConnection
  readonly agents: readonly SimAgent[]
  readonly pcIds: readonly string[]
  agent(pcId: string): SimAgent | undefined
  summary(): AgentSummary[]
  /** Take an agent off the network (heartbeats stop, commands and kills are missed, results
   *  wait in its outbox) or bring it back (beats at once, drains, replays missed Commands). */
  setOnline(pcId: string, online: boolean): void
  stats(): FleetStats
  /** Resolves when nothing is running and every outbox (of online agents) is drained. */
  idle(timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}
