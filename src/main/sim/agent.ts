import { randomUUID } from 'node:crypto'
import { parseHumantime, type Command, type EventStarted, type ExecResult, type Heartbeat } from '../../shared/wire'
import { parseTimestamp } from '../../shared/time'
import { agentTimestamp, chronoDisplay, humanDuration } from './format'
import type { AgentIdentity } from './identity'
import { fullOutput, interpret, outputUntil } from './interpreter'
import { SimProcess } from './process'
import { createRng, mixSeed, type Rng } from './random'
import { RecentIds } from './recent-ids'

// One simulated kanade 0.30 agent: the command pipeline of kanade-protocol.md §7.3 in its
// order — dedup, staleness gate, version pin and revoke (silent skips), deadline (exit 125),
// start event, jitter, spawn, kill / timeout race, result. Transport is the host's job
// (the fleet): it routes Commands in, reads the KV gates and publishes what comes out.

/** Fresh KV values for one manifest id; null = no entry, or the read failed (check skipped). */
export interface Gates {
  pin: string | null
  status: string | null
}

export interface AgentHost {
  now(): number
  publishStarted(agent: SimAgent, event: EventStarted): void
  publishResult(agent: SimAgent, result: ExecResult): void
  /** A spawned run with an exec_id listens on kill.<exec_id> for its lifetime. */
  watchKill(agent: SimAgent, execId: string, proc: SimProcess): void
  unwatchKill(execId: string, proc: SimProcess): void
  /** Process start-up cost range in ms (PowerShell is not instant). */
  execTimeMs: readonly [number, number]
  stats: AgentStats
}

export interface AgentStats {
  received: number
  duplicates: number
  pinSkips: number
  revokeSkips: number
  deadlineSkips: number
  stalenessSkips: number
  started: number
  finished: number
  killed: number
  timedOut: number
}

export function emptyStats(): AgentStats {
  return { received: 0, duplicates: 0, pinSkips: 0, revokeSkips: 0, deadlineSkips: 0, stalenessSkips: 0, started: 0, finished: 0, killed: 0, timedOut: 0 }
}

const LOG_LINES = 20
const FLAKY_ERRORS = [
  'The RPC server is unavailable. (Exception from HRESULT: 0x800706BA)',
  'Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))',
  'The process cannot access the file because it is being used by another process.',
  'There is not enough space on the disk.',
]

export class SimAgent {
  readonly pcId: string
  readonly hostname: string
  agentVersion: string
  /** Sorted membership, as read from KV agent_groups. */
  groups: string[] = []
  online = true
  /** When the connection was lost (null while connected): the staleness clock. */
  disconnectedAt: number | null = null
  heartbeatMs: number
  nextBeatAt = 0
  lastBeatAt: number | null = null
  readonly active = new Set<SimProcess>()
  private readonly recent = new RecentIds(1024)
  private readonly rng: Rng
  private readonly sleeps = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>()
  private readonly logLines: string[] = []
  private stopped = false

  constructor(
    readonly identity: AgentIdentity,
    private readonly host: AgentHost,
    seed: number,
    heartbeatMs: number,
  ) {
    this.pcId = identity.pcId
    this.hostname = identity.hostname
    this.agentVersion = identity.agentVersion
    this.heartbeatMs = heartbeatMs
    this.rng = createRng(mixSeed(seed ^ 0x5f3759df, identity.index + 1))
  }

  get osFamily() {
    return this.identity.osFamily
  }
  get profile() {
    return this.identity.profile
  }

  heartbeat(now: number): Heartbeat {
    this.lastBeatAt = now
    return {
      pc_id: this.pcId,
      at: agentTimestamp(now),
      agent_version: this.agentVersion,
      hostname: this.hostname,
      os_family: this.identity.osFamily,
    }
  }

  /** Milliseconds since the connection was lost; 0 while connected (§4.10). */
  stalenessMs(now: number): number {
    return this.disconnectedAt === null ? 0 : Math.max(0, now - this.disconnectedAt)
  }

  /** True when this request_id was seen among the last 1024. */
  hasSeen(requestId: string): boolean {
    return this.recent.has(requestId)
  }

  /** Forget everything in memory (an agent process restart). */
  forgetSeen(): void {
    this.recent.clear()
  }

  /** Recent log lines, oldest first (the logs.fetch reply). */
  logTail(lines: number): string[] {
    return this.logLines.slice(-lines)
  }

  log(now: number, level: 'INFO' | 'WARN', text: string): void {
    this.logLines.push(`${agentTimestamp(now)} ${level.padStart(5)} kanade_agent: ${text}`)
    if (this.logLines.length > LOG_LINES) this.logLines.shift()
  }

  /** The whole §7.3 pipeline for one delivered Command. `gates` performs (or shares) the
   *  fresh KV reads of script_current / script_status for the Command's id. */
  async handle(cmd: Command, gates: () => Promise<Gates>): Promise<void> {
    const stats = this.host.stats
    if (!this.recent.add(cmd.request_id)) {
      stats.duplicates++
      return
    }
    stats.received++
    const receivedAt = this.host.now()
    this.log(receivedAt, 'INFO', `command received id=${cmd.id} version=${cmd.version} request_id=${cmd.request_id}`)

    // 1. Staleness gate (strict mode only).
    if (cmd.staleness.mode === 'strict') {
      let maxMs = 0 // a malformed max_cache_age fails closed
      try {
        maxMs = parseHumantime(cmd.staleness.max_cache_age)
      } catch {
        maxMs = 0
      }
      const stale = this.stalenessMs(receivedAt)
      if (stale > maxMs) {
        stats.stalenessSkips++
        return this.synthetic(cmd, 127, `skipped: staleness policy (mode=strict) exceeded — agent has been disconnected for ${humanDuration(stale)}, max allowed ${humanDuration(maxMs)}`)
      }
    }

    // 2–3. Version pin and revoke: silent skips (no result, no event).
    const g = await gates()
    if (this.stopped) return
    if (g.pin !== null && g.pin !== cmd.version) {
      stats.pinSkips++
      this.log(this.host.now(), 'INFO', `skip ${cmd.id}: version ${cmd.version} is not the pinned ${g.pin}`)
      return
    }
    if (g.status === 'REVOKED') {
      stats.revokeSkips++
      this.log(this.host.now(), 'INFO', `skip ${cmd.id}: revoked`)
      return
    }

    // 4. Deadline: strictly later than deadline_at → exit 125 without running.
    const now = this.host.now()
    const deadline = cmd.deadline_at ? parseTimestamp(cmd.deadline_at) : null
    if (deadline !== null && now > deadline) {
      stats.deadlineSkips++
      return this.synthetic(
        cmd,
        125,
        `skipped: starting deadline expired ${humanDuration(now - deadline)} ago (deadline ${chronoDisplay(deadline)}, received ${chronoDisplay(now)})`,
      )
    }

    // 5–6. started_at and result_id; the start event only for a non-null exec_id.
    const startedAt = now
    const resultId = randomUUID()
    const startedText = agentTimestamp(startedAt)
    if (cmd.exec_id !== null) {
      this.host.publishStarted(this, {
        result_id: resultId,
        request_id: cmd.request_id,
        exec_id: cmd.exec_id,
        pc_id: this.pcId,
        started_at: startedText,
        manifest_id: cmd.id,
        version: cmd.version,
      })
    }
    stats.started++

    // 7. Jitter, after the start event and before spawn.
    if (cmd.jitter_secs && cmd.jitter_secs > 0) {
      await this.sleep(this.rng.range(0, cmd.jitter_secs * 1000))
      if (this.stopped) return
    }

    // 8–9. Spawn and race exit / kill / timeout.
    const { exitCode, stdout, stderr } = await this.spawn(cmd)
    if (this.stopped) return
    stats.finished++
    const finishedAt = this.host.now()
    this.log(finishedAt, 'INFO', `command finished id=${cmd.id} request_id=${cmd.request_id} exit_code=${exitCode}`)
    // 10. The result, to the outbox.
    this.host.publishResult(this, {
      result_id: resultId,
      request_id: cmd.request_id,
      exec_id: cmd.exec_id,
      pc_id: this.pcId,
      exit_code: exitCode,
      stdout,
      stderr,
      started_at: startedText,
      finished_at: agentTimestamp(Math.max(finishedAt, startedAt)),
      manifest_id: cmd.id,
    })
  }

  private async spawn(cmd: Command): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const stats = this.host.stats
    if (this.identity.osFamily !== 'windows' && cmd.run_as !== 'system') {
      return { exitCode: 0, stdout: '', stderr: `run_as=${cmd.run_as} is only supported on Windows agents; the script was not run` }
    }
    const [lo, hi] = this.host.execTimeMs
    let startupMs = lo + Math.round(this.rng.next() * Math.max(0, hi - lo))
    if (this.identity.profile === 'slow') startupMs += Math.round(this.rng.range(3_000, 12_000))
    const spawnedAt = this.host.now()
    const outcome = interpret(cmd.script, {
      shell: cmd.shell,
      hostname: this.hostname,
      osFamily: this.identity.osFamily,
      facts: this.identity.facts,
      runAs: cmd.run_as,
      startedAt: spawnedAt,
      drift: this.rng.next(),
      startupMs,
    })
    if (this.identity.profile === 'flaky' && outcome.exitCode === 0 && this.rng.chance(0.4)) {
      // A flaky machine: the run fails part-way with a Windows-ish error.
      const at = Math.round(outcome.durationMs * 0.8)
      outcome.steps = outcome.steps.filter((s) => s.atMs <= at)
      outcome.steps.push({ atMs: at, stderr: `${this.rng.pick(FLAKY_ERRORS)}\r\n` })
      outcome.exitCode = 1
      outcome.durationMs = at + 5
    }
    const timeoutMs = Math.max(cmd.timeout_secs, 1) * 1000
    const proc = new SimProcess(outcome, timeoutMs, () => this.host.now(), spawnedAt)
    this.active.add(proc)
    if (cmd.exec_id !== null) this.host.watchKill(this, cmd.exec_id, proc)
    const end = await proc.ended
    this.active.delete(proc)
    if (cmd.exec_id !== null) this.host.unwatchKill(cmd.exec_id, proc)

    switch (end.reason) {
      case 'exit': {
        const out = fullOutput(outcome)
        return { exitCode: outcome.exitCode, ...out }
      }
      case 'killed': {
        stats.killed++
        const out = outputUntil(outcome, end.elapsedMs)
        return { exitCode: -1, stdout: out.stdout, stderr: withNote(out.stderr, `killed by remote signal (kill.${cmd.exec_id})`) }
      }
      case 'timeout': {
        stats.timedOut++
        const out = outputUntil(outcome, end.elapsedMs)
        return { exitCode: -1, stdout: out.stdout, stderr: withNote(out.stderr, `timeout after ${Math.max(cmd.timeout_secs, 1)}s`) }
      }
      default:
        return { exitCode: -1, stdout: '', stderr: '' }
    }
  }

  /** A result for a Command that was not run (exit 125 / 127): fresh result_id, no start event. */
  private synthetic(cmd: Command, exitCode: number, stderr: string): void {
    const now = agentTimestamp(this.host.now())
    this.log(this.host.now(), 'WARN', stderr)
    this.host.publishResult(this, {
      result_id: randomUUID(),
      request_id: cmd.request_id,
      exec_id: cmd.exec_id,
      pc_id: this.pcId,
      exit_code: exitCode,
      stdout: '',
      stderr,
      started_at: now,
      finished_at: now,
      manifest_id: cmd.id,
    })
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeps.delete(entry)
          resolve()
        }, ms),
        resolve,
      }
      this.sleeps.add(entry)
    })
  }

  /** Stop everything in flight without publishing (the simulator shuts down). */
  shutdown(): void {
    this.stopped = true
    for (const s of this.sleeps) {
      clearTimeout(s.timer)
      s.resolve()
    }
    this.sleeps.clear()
    for (const p of this.active) p.abort()
  }

  /** Runs in flight (spawned or in their jitter sleep). */
  get busy(): number {
    return this.active.size + this.sleeps.size
  }
}

/** §7.6: the note is the whole stderr when it was empty, else appended after a newline. */
export function withNote(stderr: string, note: string): string {
  return stderr.length === 0 ? note : `${stderr}\n${note}`
}
