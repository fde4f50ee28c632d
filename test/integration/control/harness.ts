import type { NatsConnection } from 'nats'
import { operations } from '../../../src/shared/api/index'
import { ApiError } from '../../../src/shared/api/errors'
import type { OperationDef } from '../../../src/shared/api/op'
import { decodeAuditEvent, type AuditEvent } from '../../../src/shared/wire'
import { EventBus } from '../../../src/main/core/bus'
import { loadConfig } from '../../../src/main/core/config'
import { handlers } from '../../../src/main/core/handlers/index'
import type { Caller } from '../../../src/main/core/handlers/types'
import { silentLogger } from '../../../src/main/core/log'
import { bootstrapJetStream } from '../../../src/main/core/nats/bootstrap'
import { NatsLink } from '../../../src/main/core/nats/connect'
import type { CoreServices } from '../../../src/main/core/services'
import { tempDb } from '../../helpers/db'
import type { TestNats } from '../../helpers/nats'

// Test harness for the control plane: a CoreServices on a temp SQLite file and a real broker,
// handlers called the way the transports call them (inputs parsed with the operation's zod
// schemas first), and a recorder of every audit event.

export interface Harness {
  core: CoreServices
  nc: NatsConnection
  audits: AuditEvent[]
  auditSubjects: string[]
  clock: { offsetMs: number }
  call<T = unknown>(name: string, input?: { params?: unknown; query?: unknown; body?: unknown }, caller?: Caller): Promise<T>
  /** Wait until no audit event arrived for `quietMs`. */
  settleAudits(quietMs?: number): Promise<void>
  close(): Promise<void>
}

export const CONSOLE: Caller = { actor: 'console' }

export async function startHarness(nats: TestNats, opts: { bootstrap?: boolean } = {}): Promise<Harness> {
  const t = tempDb()
  const link = await NatsLink.open({ servers: [nats.url] })
  if (opts.bootstrap !== false) await bootstrapJetStream(link.nc)
  const clock = { offsetMs: 0 }
  const core: CoreServices = {
    config: loadConfig({ 'data-dir': t.dir }, {}),
    db: t.db,
    nats: link,
    embeddedNats: null,
    bus: new EventBus(),
    log: silentLogger,
    now: () => Date.now() + clock.offsetMs,
    readonly: false,
    installId: 'test',
    subsystems: new Map(),
  }
  const nc = await nats.client()
  const audits: AuditEvent[] = []
  const auditSubjects: string[] = []
  let lastAuditAt = Date.now()
  nc.subscribe('audit.>', {
    callback: (_e, m) => {
      audits.push(decodeAuditEvent(JSON.parse(m.string())))
      auditSubjects.push(m.subject)
      lastAuditAt = Date.now()
    },
  })
  await nc.flush()

  const ops = operations as Record<string, OperationDef>
  const all = handlers as unknown as Record<string, (ctx: unknown, input: unknown) => Promise<unknown>>
  return {
    core,
    nc,
    audits,
    auditSubjects,
    clock,
    async call<T>(name: string, input: { params?: unknown; query?: unknown; body?: unknown } = {}, caller: Caller = CONSOLE) {
      const def = ops[name]
      if (!def) throw new Error(`no operation ${name}`)
      const parse = (part: string, schema: OperationDef['body'], v: unknown) => {
        if (!schema) return undefined
        const r = schema.safeParse(v, { reportInput: true })
        if (!r.success) {
          const text = r.error.issues.map((i) => `${part}.${i.path.join('.')}: ${i.message}`).join('; ')
          throw new ApiError('bad_request', text)
        }
        return r.data
      }
      return (await all[name](
        { core, caller },
        {
          params: parse('params', def.params, input.params ?? {}),
          query: parse('query', def.query, input.query ?? {}),
          body: parse('body', def.body, input.body),
        },
      )) as T
    },
    async settleAudits(quietMs = 150) {
      await nc.flush()
      while (Date.now() - lastAuditAt < quietMs) await new Promise((r) => setTimeout(r, 25))
    },
    async close() {
      for (const s of core.subsystems.values()) await s.stop()
      await link.close()
      t.cleanup()
    },
  }
}

/** Expect `fn` to throw an ApiError; returns it. */
export async function apiError(fn: () => Promise<unknown>): Promise<ApiError> {
  try {
    await fn()
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  throw new Error('expected an ApiError, got success')
}
