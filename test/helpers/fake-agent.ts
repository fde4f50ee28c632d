import { randomUUID } from 'node:crypto'
import { connect, type NatsConnection, type Subscription } from 'nats'
import {
  decodeCommand,
  encodeEventStarted,
  encodeExecResult,
  encodeHeartbeat,
  type Command,
  type ExecResult,
} from '../../src/shared/wire'

// A scripted fake kanade 0.30 agent for integration tests (protocol §7): core-subscribes
// commands.all, commands.pc.<pc> and commands.group.<g>, records every delivery, dedupes on
// request_id, applies the KV gates (version pin, revoke) with a fresh read per command, and
// can answer with events.started + ExecResult (JetStream publishes), honour kill.<exec_id>,
// send heartbeats and answer logs.fetch.

export interface FakeReply {
  exitCode?: number
  stdout?: string
  stderr?: string
  /** How long the "child" runs; kill.<exec_id> ends it early with exit -1. */
  runMs?: number
}

export interface Delivery {
  subject: string
  /** The exact bytes received, as text. */
  raw: string
  command: Command
  receivedAt: number
  /** Dropped by the request_id dedup (the agent had already seen it). */
  duplicate: boolean
  /** Silently skipped by a gate (0.30 agents send nothing for these). */
  skipped: 'version' | 'revoked' | null
  /** script_current[id] as read when the command arrived (null: no pin, or gates off). */
  pin: string | null
}

export interface FakeAgentOptions {
  url: string
  pcId: string
  groups?: string[]
  /** How to answer an accepted command; null / undefined = record it and stay silent. */
  respond?: (cmd: Command) => FakeReply | null | undefined
  /** Apply script_current / script_status like a 0.30 agent (default true). */
  gates?: boolean
  agentVersion?: string
}

const dec = new TextDecoder()

export class FakeAgent {
  readonly deliveries: Delivery[] = []
  readonly results: ExecResult[] = []
  readonly kills: string[] = []
  private nc!: NatsConnection
  private groupSubs = new Map<string, Subscription>()
  private seen: string[] = []
  private waiters: (() => void)[] = []
  private logsText: string | null = null

  constructor(private readonly opts: FakeAgentOptions) {}

  static async start(opts: FakeAgentOptions): Promise<FakeAgent> {
    const a = new FakeAgent(opts)
    a.nc = await connect({ servers: opts.url, name: `fake-agent-${opts.pcId}` })
    a.listen('commands.all')
    a.listen(`commands.pc.${opts.pcId}`)
    for (const g of opts.groups ?? []) a.joinGroup(g)
    a.nc.subscribe(`logs.fetch.${opts.pcId}`, {
      callback: (_err, m) => {
        if (a.logsText !== null) m.respond(new TextEncoder().encode(a.logsText))
      },
    })
    await a.nc.flush()
    return a
  }

  get pcId(): string {
    return this.opts.pcId
  }

  /** Commands that passed dedup and the gates (what a real agent would run). */
  get accepted(): Delivery[] {
    return this.deliveries.filter((d) => !d.duplicate && d.skipped === null)
  }

  async setGroups(groups: string[]): Promise<void> {
    for (const [g, sub] of this.groupSubs) {
      if (!groups.includes(g)) {
        sub.unsubscribe()
        this.groupSubs.delete(g)
      }
    }
    for (const g of groups) if (!this.groupSubs.has(g)) this.joinGroup(g)
    await this.nc.flush()
  }

  /** Answer logs.fetch.<pc> with this text (null = stay silent). */
  answerLogs(text: string | null): void {
    this.logsText = text
  }

  async heartbeat(at = new Date()): Promise<void> {
    this.nc.publish(
      `heartbeat.${this.opts.pcId}`,
      new TextEncoder().encode(
        encodeHeartbeat({
          pc_id: this.opts.pcId,
          at: at.toISOString(),
          agent_version: this.opts.agentVersion ?? '0.30.0',
          hostname: this.opts.pcId,
          os_family: 'windows',
        }),
      ),
    )
    await this.nc.flush()
  }

  /** Resolve once `pred` holds (checked after every delivery / result), or reject after ms. */
  async waitFor(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms
    while (!pred()) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`fake agent ${this.opts.pcId}: timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50))
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  async stop(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close()
  }

  private wake(): void {
    const ws = this.waiters.splice(0)
    for (const w of ws) w()
  }

  private joinGroup(g: string): void {
    this.groupSubs.set(g, this.listen(`commands.group.${g}`))
  }

  private listen(subject: string): Subscription {
    return this.nc.subscribe(subject, { callback: (_err, m) => void this.onCommand(m.subject, dec.decode(m.data)) })
  }

  private async onCommand(subject: string, raw: string): Promise<void> {
    const receivedAt = Date.now()
    let command: Command
    try {
      command = decodeCommand(JSON.parse(raw))
    } catch {
      return // a 0.30 agent logs and drops invalid JSON
    }
    const duplicate = this.seen.includes(command.request_id)
    if (!duplicate) {
      this.seen.push(command.request_id)
      if (this.seen.length > 1024) this.seen.shift()
    }
    const delivery: Delivery = { subject, raw, command, receivedAt, duplicate, skipped: null, pin: null }
    if (!duplicate && this.opts.gates !== false) Object.assign(delivery, await this.gate(command))
    this.deliveries.push(delivery)
    this.wake()
    if (duplicate || delivery.skipped) return
    const reply = this.opts.respond?.(command)
    if (reply) await this.run(command, reply)
  }

  private async gate(cmd: Command): Promise<Pick<Delivery, 'skipped' | 'pin'>> {
    let pin: string | null = null
    try {
      const js = this.nc.jetstream()
      const pins = await js.views.kv('script_current', { bindOnly: true })
      const e = await pins.get(cmd.id)
      if (e && e.operation === 'PUT') pin = dec.decode(e.value)
      if (pin !== null && pin !== cmd.version) return { skipped: 'version', pin }
      const status = await js.views.kv('script_status', { bindOnly: true })
      const st = await status.get(cmd.id)
      if (st && st.operation === 'PUT' && dec.decode(st.value) === 'REVOKED') return { skipped: 'revoked', pin }
    } catch {
      // KV read errors skip the check, and the command runs (protocol §7.3)
    }
    return { skipped: null, pin }
  }

  private async run(cmd: Command, reply: FakeReply): Promise<void> {
    const js = this.nc.jetstream()
    const resultId = randomUUID()
    const startedAt = new Date().toISOString()
    if (cmd.exec_id !== null) {
      await js.publish(
        `events.started.${cmd.exec_id}.${this.opts.pcId}`,
        new TextEncoder().encode(
          encodeEventStarted({
            result_id: resultId,
            request_id: cmd.request_id,
            exec_id: cmd.exec_id,
            pc_id: this.opts.pcId,
            started_at: startedAt,
            manifest_id: cmd.id,
            version: cmd.version,
          }),
        ),
      )
    }
    let exitCode = reply.exitCode ?? 0
    let stderr = reply.stderr ?? ''
    if (reply.runMs) {
      const killed = await this.runChild(cmd, reply.runMs)
      if (killed) {
        exitCode = -1
        const note = `killed by remote signal (kill.${cmd.exec_id})`
        stderr = stderr ? `${stderr}\n${note}` : note
      }
    }
    const result: ExecResult = {
      result_id: resultId,
      request_id: cmd.request_id,
      exec_id: cmd.exec_id,
      pc_id: this.opts.pcId,
      exit_code: exitCode,
      stdout: reply.stdout ?? '',
      stderr,
      started_at: startedAt,
      finished_at: new Date().toISOString(),
      manifest_id: cmd.id,
    }
    // Record before publishing: a core subscriber (POST /api/run) can see the result before
    // the PubAck comes back, and tests compare against what the agent sent.
    this.results.push(result)
    await js.publish(`results.${cmd.request_id}`, new TextEncoder().encode(encodeExecResult(result)))
    this.wake()
  }

  /** Wait runMs; true when kill.<exec_id> arrived first (only commands with an exec_id). */
  private async runChild(cmd: Command, runMs: number): Promise<boolean> {
    if (cmd.exec_id === null) {
      await new Promise((r) => setTimeout(r, runMs))
      return false
    }
    const sub = this.nc.subscribe(`kill.${cmd.exec_id}`, { max: 1 })
    await this.nc.flush()
    const execId = cmd.exec_id
    try {
      return await Promise.race([
        (async () => {
          for await (const _m of sub) {
            this.kills.push(execId)
            this.wake()
            return true
          }
          return false
        })(),
        new Promise<boolean>((r) => setTimeout(() => r(false), runMs)),
      ])
    } finally {
      sub.unsubscribe()
    }
  }
}
