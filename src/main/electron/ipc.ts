import { operations as contractOperations } from '../../shared/api/index'
import { ApiError, type ErrorCode } from '../../shared/api/errors'
import { IPC_EVENT_CHANNEL, ipcChannel, type OperationDef } from '../../shared/api/op'
import type { PushEvent } from '../../shared/events'
import { handlers as coreHandlers } from '../core/handlers/index'
import type { Caller, HandlerContext } from '../core/handlers/types'
import type { Logger } from '../core/log'
import type { CoreServices } from '../core/services'
import type { IpcMain, IpcMainInvokeEvent, WebContents } from './deps'

// The IPC half of the operation contract: one ipcMain.handle per operation, the input
// validated with the operation's own zod schemas (as HTTP does), the same handler called,
// and the result or the ApiError sent back as a plain envelope (Errors lose their fields
// when they cross the bridge, so nothing is thrown to the renderer).

export interface IpcErrorBody {
  error: ErrorCode
  message: string
  status: number
  detail?: unknown
}

export type IpcReply = { ok: true; data: unknown } | { ok: false; error: IpcErrorBody }

type AnyHandler = (ctx: HandlerContext, input: { params: unknown; query: unknown; body: unknown }) => Promise<unknown>

/** The caller of every IPC operation (audit actor `console`, CONVENTIONS.md). */
export const DESKTOP_CALLER: Caller = { actor: 'console', source: 'desktop' }

const PARTS = ['params', 'query', 'body'] as const
type Part = (typeof PARTS)[number]

function fail(code: ErrorCode, message: string, detail?: unknown): IpcReply {
  const e = new ApiError(code, message, detail)
  return { ok: false, error: { ...e.toJSON(), status: e.status } }
}

function describeIssues(part: Part, issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${[part, ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ')
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Validate `{params, query, body}` with the operation's schemas; absent params/query count as `{}`. */
export async function parseOperationInput(
  name: string,
  def: OperationDef,
  raw: unknown,
): Promise<{ ok: true; input: Record<Part, unknown> } | { ok: false; reply: IpcReply }> {
  if (raw === undefined || raw === null) raw = {}
  if (!isPlainObject(raw)) return { ok: false, reply: fail('bad_request', `${name}: input must be an object with params, query and body`) }
  const unknownPart = Object.keys(raw).find((k) => !(PARTS as readonly string[]).includes(k))
  if (unknownPart) {
    return { ok: false, reply: fail('bad_request', `${name}: unknown input part "${unknownPart}" (expected params, query, body)`) }
  }
  const input: Record<Part, unknown> = { params: undefined, query: undefined, body: undefined }
  for (const part of PARTS) {
    const schema = def[part]
    const value = raw[part]
    if (!schema) {
      const empty = value === undefined || (isPlainObject(value) && Object.keys(value).length === 0)
      if (!empty) return { ok: false, reply: fail('bad_request', `${name} takes no ${part}`) }
      continue
    }
    const given = value === undefined && part !== 'body' ? {} : value
    const parsed = await schema.safeParseAsync(given)
    if (!parsed.success) return { ok: false, reply: fail('bad_request', describeIssues(part, parsed.error.issues)) }
    input[part] = parsed.data
  }
  return { ok: true, input }
}

/** Refusals that do not depend on the input: review mode, missing broker. */
export function operationGuard(name: string, def: OperationDef, core: CoreServices): IpcReply | null {
  if (def.mutates && core.readonly) {
    return fail(
      'read_only',
      `${name} changes data and is not available in offline review: ${core.config.reviewDb ?? core.config.dbPath} is open read-only`,
    )
  }
  if (def.nats) {
    if (!core.nats) return fail('nats_unavailable', `${name} needs NATS, and this console has no NATS connection (offline review)`)
    const state = core.nats.status.state
    if (state !== 'connected') return fail('nats_unavailable', `${name} needs NATS, and the connection is ${state}`)
  }
  return null
}

/** Run one operation for the desktop: guard, validate, call the handler, wrap the outcome. */
export async function invokeOperation(
  core: CoreServices,
  name: string,
  def: OperationDef,
  handler: AnyHandler | undefined,
  raw: unknown,
  log: Logger,
): Promise<IpcReply> {
  const refused = operationGuard(name, def, core)
  if (refused) return refused
  const parsed = await parseOperationInput(name, def, raw)
  if (!parsed.ok) return parsed.reply
  if (!handler) return fail('internal', `${name} is not implemented`)
  try {
    const data = await handler({ core, caller: DESKTOP_CALLER }, parsed.input as Parameters<AnyHandler>[1])
    return { ok: true, data }
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: { ...e.toJSON(), status: e.status } }
    // Our own failure: logged with its detail here, reported without internals to the window.
    log.error(`${name} failed`, e)
    return fail('internal', `${name} failed; see the console log for details`)
  }
}

export interface IpcBridgeOptions {
  /** The core serving the window that sent `event`, or null when the sender is not trusted. */
  resolve(event: IpcMainInvokeEvent): CoreServices | null
  log: Logger
  /** Defaults: the contract and the core's handlers. */
  operations?: Record<string, OperationDef>
  handlers?: Record<string, AnyHandler | undefined>
}

/** Register `ipcMain.handle` for every contract operation. Returns a function removing them. */
export function registerOperationHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, opts: IpcBridgeOptions): () => void {
  const ops = opts.operations ?? (contractOperations as Record<string, OperationDef>)
  const impl = opts.handlers ?? (coreHandlers as unknown as Record<string, AnyHandler | undefined>)
  const channels: string[] = []
  for (const [name, def] of Object.entries(ops)) {
    const channel = ipcChannel(name)
    ipcMain.handle(channel, async (event, raw: unknown) => {
      const core = opts.resolve(event)
      if (!core) {
        opts.log.warn(`refused IPC ${name} from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`)
        return fail('forbidden', `${name} refused: the request did not come from the console window`)
      }
      return invokeOperation(core, name, def, impl[name], raw, opts.log)
    })
    channels.push(channel)
  }
  return () => {
    for (const c of channels) ipcMain.removeHandler(c)
  }
}

/** The operation names the preload exposes (passed to it on its command line). */
export function operationNames(ops: Record<string, OperationDef> = contractOperations): string[] {
  return Object.keys(ops)
}

/** Forward the core's push events to one window while it shows the dashboard. */
export function forwardEvents(
  subscribe: (fn: (e: PushEvent) => void) => () => void,
  wc: WebContents,
  showsDashboard: () => boolean,
): () => void {
  return subscribe((event) => {
    if (wc.isDestroyed() || !showsDashboard()) return
    wc.send(IPC_EVENT_CHANNEL, event)
  })
}
