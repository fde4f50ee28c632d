import type { KV, Msg } from 'nats'
import { decodeCommand, decodeJsonBody, type Command } from '../../shared/wire'
import { subjects } from '../../shared/nats-names'
import type { Gates, SimAgent } from './agent'
import type { GroupIndex } from './membership'

// Delivery of Commands to simulated agents. One `commands.>` subscription for the whole
// fleet, routed by subject: commands.all → every online agent, commands.group.<g> → online
// members of <g>, commands.pc.<id> → that agent. It also plays the agents' replay consumer
// (EXEC keeps the latest Command per subject): a reconnecting agent gets what it missed.

const dec = new TextDecoder()
const EMPTY: Gates = { pin: null, status: null }

export interface RouterDeps {
  agents: readonly SimAgent[]
  byId: ReadonlyMap<string, SimAgent>
  groups: GroupIndex<SimAgent>
  /** KV script_current / script_status (null when the bucket is missing: check skipped). */
  kv(): { current: KV | null; status: KV | null }
  log(line: string): void
}

export class CommandRouter {
  /** Latest Command per subject, with a local sequence (what EXEC retains). */
  private readonly retained = new Map<string, { cmd: Command; seq: number }>()
  seq = 0
  inflight = 0
  commands = 0
  invalid = 0

  constructor(private readonly deps: RouterDeps) {}

  /** A message on commands.>. */
  onMessage(msg: Msg): void {
    let cmd: Command
    try {
      cmd = decodeJsonBody('Command', decodeCommand, msg.data)
    } catch (e) {
      this.invalid++ // an agent logs and drops an invalid Command
      this.deps.log(`invalid Command on ${msg.subject} dropped: ${(e as Error).message}`)
      return
    }
    this.commands++
    this.remember(msg.subject, cmd)
    const gates = this.sharedGates(cmd.id)
    for (const a of this.liveTargets(msg.subject)) if (a.online) this.dispatch(a, cmd, gates)
  }

  remember(subject: string, cmd: Command): void {
    this.retained.set(subject, { cmd, seq: ++this.seq })
  }

  /** Replay to `a` what was retained after `sinceSeq`. The 0.30 replay consumer accepts
   *  commands.all, its own pc subject and EVERY group subject (membership not checked). */
  replay(a: SimAgent, sinceSeq: number): void {
    const due = [...this.retained.entries()]
      .filter(([subject, r]) => r.seq > sinceSeq && (subject === subjects.commandsAll || subject === subjects.commandsPc(a.pcId) || subject.startsWith('commands.group.')))
      .sort((x, y) => x[1].seq - y[1].seq)
    for (const [, r] of due) if (!a.hasSeen(r.cmd.request_id)) this.dispatch(a, r.cmd, this.sharedGates(r.cmd.id))
  }

  private *liveTargets(subject: string): Iterable<SimAgent> {
    if (subject === subjects.commandsAll) yield* this.deps.agents
    else if (subject.startsWith('commands.group.')) yield* this.deps.groups.of(subject.slice('commands.group.'.length))
    else if (subject.startsWith('commands.pc.')) {
      const a = this.deps.byId.get(subject.slice('commands.pc.'.length))
      if (a) yield a
    }
  }

  private dispatch(a: SimAgent, cmd: Command, gates: () => Promise<Gates>): void {
    this.inflight++
    a.handle(cmd, gates)
      .catch((e) => this.deps.log(`${a.pcId}: command ${cmd.request_id} failed in the simulator: ${(e as Error).message}`))
      .finally(() => this.inflight--)
  }

  /** One fresh read of script_current / script_status, shared by every agent one delivery
   *  reaches (a 0.30 agent reads both fresh per Command: same values, far fewer requests).
   *  A missing bucket or a failed read skips that check, as the agent does. */
  private sharedGates(id: string): () => Promise<Gates> {
    let p: Promise<Gates> | null = null
    const { current, status } = this.deps.kv()
    return () => (p ??= Promise.all([readRaw(current, id), readRaw(status, id)]).then(([pin, s]) => ({ pin, status: s }), () => EMPTY))
  }
}

async function readRaw(kv: KV | null, key: string): Promise<string | null> {
  if (!kv) return null
  try {
    const e = await kv.get(key)
    return e && e.operation === 'PUT' ? dec.decode(e.value) : null
  } catch {
    return null
  }
}
