import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from 'nats'
import { decodeCommand, decodeJsonBody, type Command } from '../../shared/wire'
import { filters } from '../../shared/nats-names'

// The "Layer 1" replay of kanade 0.30 agents (§7.2): EXEC keeps the latest Command per
// subject; an agent's durable replay consumer (DeliverPolicy LastPerSubject) hands it what
// was published while it was away. The simulator reads EXEC once for the whole fleet
// instead of keeping one durable per agent.

export interface RetainedCommand {
  subject: string
  cmd: Command
  /** Stream timestamp (ms). */
  at: number
}

/** The latest Command of every commands.* subject in EXEC, published after `sinceMs`
 *  (0 = all), oldest first. Undecodable bodies are skipped; a missing stream gives []. */
export async function readRetained(js: JetStreamClient, jsm: JetStreamManager, sinceMs = 0): Promise<RetainedCommand[]> {
  let pending = 0
  try {
    pending = (await jsm.streams.info('EXEC')).state.messages
  } catch {
    return []
  }
  if (pending === 0) return []
  const consumer = await js.consumers.get('EXEC', { filterSubjects: filters.commands, deliver_policy: DeliverPolicy.LastPerSubject })
  const out: RetainedCommand[] = []
  try {
    const batch = await consumer.fetch({ max_messages: Math.min(pending, 10_000), expires: 2_000 })
    for await (const m of batch) {
      const at = Math.floor(m.info.timestampNanos / 1e6)
      if (at > sinceMs) {
        try {
          out.push({ subject: m.subject, cmd: decodeJsonBody('Command', decodeCommand, m.data), at })
        } catch {
          // an agent logs and drops an invalid Command
        }
      }
      if (m.info.pending === 0) break
    }
  } finally {
    await consumer.delete().catch(() => {})
  }
  return out.sort((a, b) => a.at - b.at)
}
