// Shared plumbing of the projector integration tests: a real nats-server with the kanade
// JetStream set, runners wired to a temp database, and outcome tracking via runner hooks.
import type { NatsConnection } from 'nats'
import { EventBus } from '../../../src/main/core/bus'
import type { Db } from '../../../src/main/core/db/open'
import { silentLogger } from '../../../src/main/core/log'
import { ManifestCache } from '../../../src/main/core/projectors/manifests'
import { StreamRunner, type RunnerHooks, type RunnerOptions } from '../../../src/main/core/projectors/runner'
import type { ApplyEnv, IncomingMessage, Outcome, StreamProjector } from '../../../src/main/core/projectors/types'

/** Poll `pred` until it is true (or fail with `what`). */
export async function waitFor(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await pred())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export interface Settled {
  msg: IncomingMessage
  outcome: Outcome
}

/** Records every settled message per `stream:seq`. */
export class OutcomeLog {
  readonly all: Settled[] = []
  hooks(extra: RunnerHooks = {}): RunnerHooks {
    return {
      ...extra,
      onSettled: (msgs, outcomes) => {
        msgs.forEach((msg, i) => this.all.push({ msg, outcome: outcomes[i] }))
        extra.onSettled?.(msgs, outcomes)
      },
    }
  }
  of(stream: string, seq: number): Settled[] {
    return this.all.filter((s) => s.msg.stream === stream && s.msg.seq === seq)
  }
  /** Outcomes that ended a delivery with an ack (anything but `retry`). */
  final(stream: string, seq: number): Settled[] {
    return this.of(stream, seq).filter((s) => s.outcome.kind !== 'retry')
  }
}

export function envFor(db: Db, manifests = ManifestCache.of({}, silentLogger)): ApplyEnv {
  return { db, now: Date.now, manifests, log: silentLogger }
}

/** A runner with test-friendly timings (short nak delays and restart backoff). */
export function runnerFor(
  nc: NatsConnection,
  env: ApplyEnv,
  p: StreamProjector,
  opts: Partial<RunnerOptions> & { prefix: string },
  bus = new EventBus(),
): StreamRunner {
  return new StreamRunner(nc, env, bus, silentLogger, p, {
    maxWaitMs: 5,
    retryDelayMs: () => 20,
    restartMinMs: 50,
    restartMaxMs: 200,
    ...opts,
  })
}

const enc = new TextEncoder()

/** JetStream-publish JSON (or raw text) and return the stream sequence. */
export async function publish(nc: NatsConnection, subject: string, body: unknown | string): Promise<number> {
  const data = typeof body === 'string' ? enc.encode(body) : enc.encode(JSON.stringify(body))
  const ack = await nc.jetstream().publish(subject, data)
  return ack.seq
}

export async function purgeStreams(nc: NatsConnection, names: string[]): Promise<void> {
  const jsm = await nc.jetstreamManager()
  for (const n of names) await jsm.streams.purge(n)
}

export async function deleteConsumers(nc: NatsConnection, stream: string, prefix: string): Promise<void> {
  const jsm = await nc.jetstreamManager()
  for await (const c of jsm.consumers.list(stream)) {
    if (c.name.startsWith(`${prefix}_`)) await jsm.consumers.delete(stream, c.name)
  }
}

let counter = 0
/** A result payload in kanade's wire format. */
export function resultPayload(over: Record<string, unknown> = {}): Record<string, unknown> {
  counter++
  return {
    result_id: `r-${counter}`,
    request_id: `req-${counter}`,
    exec_id: 'exec-1',
    pc_id: `pc-${counter}`,
    exit_code: 0,
    stdout: 'ok',
    stderr: '',
    started_at: '2026-05-20T12:00:00Z',
    finished_at: '2026-05-20T12:00:01Z',
    manifest_id: 'echo-test',
    ...over,
  }
}
