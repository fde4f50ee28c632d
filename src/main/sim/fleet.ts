import { connect, type JetStreamClient, type JetStreamManager, type KV, type Msg, type NatsConnection, type Subscription } from 'nats'
import { decodeAgentGroups, decodeLogsRequestBody, encodeAgentGroups } from '../../shared/wire'
import { KV as BUCKETS, filters, subjects } from '../../shared/nats-names'
import { AckPublisher } from './ack-publisher'
import { SimAgent, emptyStats, type AgentHost } from './agent'
import { ConfigLayers } from './config-layers'
import { readRetained } from './exec-replay'
import { agentIdentity } from './identity'
import { followBucket, type Follower } from './kv-follow'
import { GroupIndex, distributeGroups, normalizeGroups, sameGroups } from './membership'
import { SelfUpdater, scheduleFlapping, type LifecycleDeps } from './lifecycle'
import { JsOutbox } from './outbox'
import type { SimProcess } from './process'
import { createRng } from './random'
import { CommandRouter } from './router'
import { eventStartedJson, execResultJson, heartbeatJson } from './wire-out'
import type { AgentSummary, Fleet, FleetOptions, FleetStats } from './types'

export type { AgentSummary, Fleet, FleetOptions, FleetStats } from './types'

// N simulated kanade 0.30 agents in one process on ONE NATS connection. Instead of 3×N
// subscriptions the fleet holds one `commands.>` (router.ts), one `kill.>` and one
// `logs.fetch.>` subscription and routes by subject in memory; one watch of agent_groups
// and one of agent_config follow membership and config for everyone.

const enc = new TextEncoder()

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const nc =
    opts.nc ??
    (await connect({
      servers: opts.natsUrl ?? 'nats://127.0.0.1:4222',
      token: opts.token ?? undefined,
      name: 'kanade-sim',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      waitOnFirstConnect: true,
    }))
  const fleet = new SimFleet(nc, !opts.nc, opts, await nc.jetstreamManager())
  try {
    await fleet.start()
  } catch (e) {
    await fleet.stop()
    throw e
  }
  return fleet
}

class SimFleet implements Fleet {
  readonly agents: SimAgent[]
  readonly pcIds: string[]
  private readonly byId = new Map<string, SimAgent>()
  private readonly groupIndex = new GroupIndex<SimAgent>()
  private readonly layers = new ConfigLayers()
  private readonly js: JetStreamClient
  private readonly outbox: JsOutbox<SimAgent>
  private readonly acks: AckPublisher
  private readonly killWatch = new Map<string, Map<SimProcess, SimAgent>>()
  private readonly offlineSeq = new Map<SimAgent, number>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly subs: Subscription[] = []
  private readonly followers: Follower[] = []
  private readonly stat = emptyStats()
  private readonly router: CommandRouter
  private readonly lifecycle: LifecycleDeps
  private readonly updater: SelfUpdater
  private kv: { current: KV | null; status: KV | null; groups: KV | null; config: KV | null } = { current: null, status: null, groups: null, config: null }
  private ticker: ReturnType<typeof setInterval> | null = null
  private heartbeats = 0
  private results = 0
  private events = 0
  private configReady = false
  private stopped = false
  private disconnectedAt: number | null = null
  private readonly heartbeatMs: number
  private readonly host: AgentHost

  constructor(
    readonly nc: NatsConnection,
    private readonly ownsConnection: boolean,
    private readonly opts: FleetOptions,
    private readonly jsm: JetStreamManager,
  ) {
    this.js = nc.jetstream()
    const seed = opts.seed ?? 1
    this.heartbeatMs = opts.heartbeatMs ?? 30_000
    this.host = {
      now: () => Date.now(),
      publishStarted: (agent, event) =>
        this.outbox.enqueue({ subject: subjects.eventsStarted(event.exec_id, agent.pcId), payload: enc.encode(eventStartedJson(event)), owner: agent, kind: 'event' }),
      publishResult: (agent, result) =>
        this.outbox.enqueue({ subject: subjects.results(result.request_id), payload: enc.encode(execResultJson(result)), owner: agent, kind: 'result' }),
      watchKill: (agent, execId, proc) => {
        let m = this.killWatch.get(execId)
        if (!m) this.killWatch.set(execId, (m = new Map()))
        m.set(proc, agent)
      },
      unwatchKill: (execId, proc) => {
        const m = this.killWatch.get(execId)
        m?.delete(proc)
        if (m && m.size === 0) this.killWatch.delete(execId)
      },
      execTimeMs: opts.execTimeMs ?? [150, 900],
      stats: this.stat,
    }
    this.acks = new AckPublisher(nc, opts.ackTimeoutMs ?? 30_000)
    this.outbox = new JsOutbox<SimAgent>({
      publish: (subject, payload) => this.acks.publish(subject, payload),
      isOnline: (a) => a.online,
      onPublished: (item) => (item.kind === 'result' ? this.results++ : this.events++),
      maxInFlight: opts.maxInFlight,
    })
    const count = opts.agents ?? 25
    const now = Date.now()
    this.agents = Array.from({ length: count }, (_, i) => {
      const identity = agentIdentity(
        i,
        { seed, namePrefix: opts.namePrefix, failRate: opts.failRate, slowRate: opts.slowRate, flapRate: opts.flapRate, osMix: opts.osMix },
        now,
      )
      return new SimAgent(identity, this.host, seed, this.heartbeatMs)
    })
    for (const a of this.agents) this.byId.set(a.pcId, a)
    this.pcIds = this.agents.map((a) => a.pcId)
    this.router = new CommandRouter({ agents: this.agents, byId: this.byId, groups: this.groupIndex, kv: () => this.kv, log: (l) => this.log(l) })
    this.lifecycle = {
      js: this.js,
      jsm,
      rng: createRng(seed ^ 0x2545f491),
      setOnline: (pc, online) => this.setOnline(pc, online),
      later: (ms, fn) => this.later(ms, fn),
    }
    this.updater = new SelfUpdater(this.lifecycle)
  }

  async start(): Promise<void> {
    const js = this.js
    const bind = async (bucket: string) => js.views.kv(bucket, { bindOnly: true }).catch(() => null)
    this.kv = {
      current: await bind(BUCKETS.scriptCurrent),
      status: await bind(BUCKETS.scriptStatus),
      groups: await bind(BUCKETS.agentGroups),
      config: await bind(BUCKETS.agentConfig),
    }
    if (!this.kv.groups) this.log('agent_groups bucket missing: agents start with no groups')

    if (this.kv.groups) {
      const f = await followBucket(this.kv.groups, (key, value) => this.onGroupsEntry(key, value))
      this.followers.push(f)
      await f.initialized
      if (this.opts.groups?.length) await this.writeGroups(this.opts.groups)
    }
    if (this.kv.config) {
      const f = await followBucket(this.kv.config, (key, value) => this.onConfigEntry(key, value))
      this.followers.push(f)
      await f.initialized
    }
    this.configReady = true
    for (const a of this.agents) this.applyConfig(a)

    this.subs.push(this.nc.subscribe(filters.commands, { callback: (err, msg) => !err && this.router.onMessage(msg) }))
    this.subs.push(this.nc.subscribe('kill.>', { callback: (err, msg) => !err && this.onKill(msg) }))
    this.subs.push(this.nc.subscribe('logs.fetch.>', { callback: (err, msg) => !err && this.onLogs(msg) }))
    await this.nc.flush()
    void this.watchConnection()

    if (this.opts.replayOnBoot) {
      for (const r of await readRetained(this.js, this.jsm)) this.router.remember(r.subject, r.cmd)
      for (const a of this.agents) this.router.replay(a, 0)
    }

    // First beats at once, spread over a short window; then every interval.
    const start = Date.now()
    const spread = this.opts.firstBeatSpreadMs ?? Math.min(this.heartbeatMs, 1_000)
    this.agents.forEach((a, i) => (a.nextBeatAt = start + Math.floor((i / this.agents.length) * spread)))
    const tickMs = Math.max(20, Math.min(500, Math.floor(this.heartbeatMs / 4), spread > 0 ? Math.floor(spread / 10) || 20 : 500))
    this.ticker = setInterval(() => this.tick(), tickMs)
    this.tick()
    for (const a of this.agents) {
      if (a.profile === 'flapping') scheduleFlapping(a, this.lifecycle, this.opts.flapOnlineMs ?? [180_000, 600_000], this.opts.flapOfflineMs ?? [150_000, 360_000])
    }
    this.log(`fleet up: ${this.agents.length} agents`)
  }

  agent(pcId: string): SimAgent | undefined {
    return this.byId.get(pcId)
  }

  summary(): AgentSummary[] {
    return this.agents.map((a) => ({
      pcId: a.pcId,
      hostname: a.hostname,
      osFamily: a.osFamily,
      agentVersion: a.agentVersion,
      profile: a.profile,
      groups: [...a.groups],
      online: a.online,
    }))
  }

  setOnline(pcId: string, online: boolean): void {
    const a = this.byId.get(pcId)
    if (!a) throw new Error(`no simulated agent "${pcId}"`)
    if (a.online === online || this.stopped) return
    const now = Date.now()
    if (!online) {
      a.online = false
      a.disconnectedAt = now
      this.offlineSeq.set(a, this.router.seq)
      a.log(now, 'WARN', 'disconnected from NATS')
      return
    }
    a.online = true
    a.disconnectedAt = this.disconnectedAt
    a.log(now, 'INFO', 'connected to NATS')
    this.beat(a, now)
    this.outbox.ownerOnline(a)
    this.router.replay(a, this.offlineSeq.get(a) ?? this.router.seq)
    this.offlineSeq.delete(a)
  }

  stats(): FleetStats {
    return {
      ...this.stat,
      agents: this.agents.length,
      online: this.agents.reduce((n, a) => n + (a.online ? 1 : 0), 0),
      commands: this.router.commands,
      invalidCommands: this.router.invalid,
      heartbeats: this.heartbeats,
      results: this.results,
      events: this.events,
      publishRetries: this.outbox.retries,
      outboxPending: this.outbox.pending,
    }
  }

  async idle(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs
    for (;;) {
      const busy = this.router.inflight > 0 || this.agents.some((a) => a.online && a.busy > 0)
      if (!busy) {
        await this.outbox.drained()
        if (this.router.inflight === 0) return
      }
      if (Date.now() > until) throw new Error(`fleet not idle after ${timeoutMs} ms (${this.router.inflight} commands in the pipeline)`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (this.ticker) clearInterval(this.ticker)
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const s of this.subs) s.unsubscribe()
    for (const f of this.followers) f.stop()
    for (const a of this.agents) a.shutdown()
    // Let results already handed to the outbox go out (briefly), as an agent's drain would.
    await Promise.race([this.outbox.drained(), new Promise((r) => setTimeout(r, 2_000))])
    this.outbox.stop()
    this.acks.close()
    if (this.ownsConnection && !this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close())
  }

  // ---------------------------------------------------------------------------------------
  // Commands, kills, logs

  private onKill(msg: Msg): void {
    const procs = this.killWatch.get(msg.subject.slice('kill.'.length))
    if (!procs) return
    for (const [proc, agent] of [...procs]) if (agent.online) proc.kill()
  }

  private onLogs(msg: Msg): void {
    const a = this.byId.get(msg.subject.slice('logs.fetch.'.length))
    if (!a || !a.online || !msg.reply) return
    const { tail_lines } = decodeLogsRequestBody(msg.data)
    msg.respond(enc.encode(a.logTail(tail_lines).join('\n') + '\n'))
  }

  // ---------------------------------------------------------------------------------------
  // Heartbeats, membership, config, self-update, flapping

  private tick(): void {
    const now = Date.now()
    for (const a of this.agents) if (a.online && now >= a.nextBeatAt) this.beat(a, now)
  }

  private beat(a: SimAgent, now: number): void {
    if (this.nc.isClosed()) return
    this.nc.publish(subjects.heartbeat(a.pcId), enc.encode(heartbeatJson(a.heartbeat(now))))
    this.heartbeats++
    const next = a.nextBeatAt + a.heartbeatMs
    a.nextBeatAt = next > now ? next : now + a.heartbeatMs
  }

  private onGroupsEntry(key: string, value: string | null): void {
    const a = this.byId.get(key)
    if (!a) return
    let groups: string[] = []
    if (value !== null) {
      try {
        groups = normalizeGroups(decodeAgentGroups(JSON.parse(value)).groups)
      } catch {
        groups = [] // unparsable = no groups
      }
    }
    this.setGroups(a, groups)
  }

  private setGroups(a: SimAgent, groups: string[]): void {
    if (sameGroups(a.groups, groups)) return
    this.groupIndex.update(a, a.groups, groups)
    a.groups = groups
    a.log(Date.now(), 'INFO', `groups: [${groups.join(', ')}]`)
    this.applyConfig(a)
  }

  private async writeGroups(groups: string[]): Promise<void> {
    const plan = distributeGroups(this.agents.length, groups, this.opts.groupShares)
    const todo = this.agents.map((a, i) => [a, [plan[i]]] as const).filter(([a, want]) => !sameGroups(a.groups, want))
    for (let i = 0; i < todo.length; i += 256) {
      await Promise.all(
        todo.slice(i, i + 256).map(async ([a, want]) => {
          await this.kv.groups!.put(a.pcId, enc.encode(encodeAgentGroups(want)))
          this.setGroups(a, [...want])
        }),
      )
    }
    if (todo.length) this.log(`wrote agent_groups for ${todo.length} agents (${groups.join(', ')})`)
  }

  private onConfigEntry(key: string, value: string | null): void {
    const touched = this.layers.apply(key, value)
    if (!touched || !this.configReady) return
    if (touched === 'all') for (const a of this.agents) this.applyConfig(a)
    else {
      const a = this.byId.get(touched.pc)
      if (a) this.applyConfig(a)
    }
  }

  private applyConfig(a: SimAgent): void {
    if (!this.configReady) return
    const eff = this.layers.resolve(a.pcId, a.groups, this.heartbeatMs)
    if (eff.heartbeatMs !== a.heartbeatMs) {
      a.heartbeatMs = eff.heartbeatMs
      a.nextBeatAt = (a.lastBeatAt ?? Date.now()) + eff.heartbeatMs // a cadence change applies live
    }
    this.updater.consider(a, eff.target_version, eff.jitterMs)
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (!this.stopped) fn()
    }, ms)
    this.timers.add(t)
  }

  /** The broker connection is every agent's connection: while it is down they are all
   *  disconnected (staleness grows); on reconnect they replay what EXEC kept meanwhile. */
  private async watchConnection(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (this.stopped) return
      if (s.type === 'disconnect' && this.disconnectedAt === null) {
        this.disconnectedAt = Date.now()
        for (const a of this.agents) if (a.online && a.disconnectedAt === null) a.disconnectedAt = this.disconnectedAt
      } else if (s.type === 'reconnect' && this.disconnectedAt !== null) {
        const since = this.disconnectedAt
        this.disconnectedAt = null
        for (const a of this.agents) if (a.online) a.disconnectedAt = null
        try {
          const missed = await readRetained(this.js, this.jsm, since)
          const before = this.router.seq
          for (const r of missed) this.router.remember(r.subject, r.cmd)
          for (const a of this.agents) if (a.online) this.router.replay(a, before)
        } catch (e) {
          this.log(`replay after reconnect failed: ${(e as Error).message}`)
        }
      }
    }
  }

  private log(line: string): void {
    this.opts.log?.(line)
  }
}
