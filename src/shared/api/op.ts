import { z } from 'zod'
import { parseTimestamp, toCanonical } from '../time'

// The operation contract: every operation is declared once here (name, HTTP method and path,
// zod schemas). The HTTP server, the Electron IPC bridge, the preload and the renderer's
// client are all generated from these declarations.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface OperationDef {
  method: HttpMethod
  /** fastify-style path with `:param` segments, kanade 0.30's path where one exists. */
  path: string
  summary: string
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  /** For list operations: the schema of ONE row; the HTTP body is an array of them. */
  response: z.ZodType
  /** List route: X-Total-Count, CSV export, handler returns { items, total }. */
  list?: boolean
  /** HTTP status on success (default 200; 204 = empty body). */
  success?: 200 | 201 | 204
  /** Changes state: refused in offline review mode. */
  mutates?: boolean
  /** Needs the NATS connection: 503 while it is down. Reads that the KV mirror can serve
   *  (catalog, schedules, script status, groups, config) leave it out and answer 503 themselves
   *  when neither KV nor the mirror can. */
  nats?: boolean
  /** Response is plain text (logs), not JSON. */
  text?: boolean
  /** Extra request body formats besides JSON. */
  bodyFormats?: ('yaml' | 'multipart')[]
  /** List routes: names of the extra counts in ListResult.counts, sent as `X-<Name>-Count`. */
  counts?: readonly string[]
  /** HTTP status chosen from the handler's output (e.g. 503 for a degraded fleet health). */
  httpStatus?: (output: unknown) => number
}

export function op<const D extends OperationDef>(def: D): D {
  return def
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined
type InferIn<T> = T extends z.ZodType ? z.input<T> : undefined

/** Parsed input handed to a handler. */
export type OpInput<D extends OperationDef> = {
  params: Infer<D['params']>
  query: Infer<D['query']>
  body: Infer<D['body']>
}

/** What a caller passes (before defaults are applied). Absent parts may be omitted. */
export type OpCallInput<D extends OperationDef> = {
  [K in 'params' | 'query' | 'body' as D[K] extends z.ZodType ? K : never]?: InferIn<D[K]>
}

export interface ListResult<T> {
  items: T[]
  total: number
  /** Extra counts, e.g. online/offline for agents (X-Online-Count...). */
  counts?: Record<string, number>
}

export type OpOutput<D extends OperationDef> = D['list'] extends true
  ? ListResult<Infer<D['response']>>
  : D['success'] extends 204
    ? void
    : Infer<D['response']>

/** IPC channel of an operation. */
export const ipcChannel = (name: string) => `kanade:op:${name}`
export const IPC_EVENT_CHANNEL = 'kanade:event'

/** Query strings arrive as text: a boolean query flag. */
export const queryBool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes')

/** Paging common to list routes (kanade's default limit is 50). */
export const Paging = {
  limit: z.coerce.number().int().min(1).max(100_000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
}

/** Multipart uploads reach handlers as `{ fields, file }` (HTTP: parsed multipart; IPC: the same object). */
export const MultipartBody = z.object({
  fields: z.record(z.string(), z.string()).default({}),
  file: z.object({ filename: z.string(), data: z.instanceof(Uint8Array) }).nullable(),
})
export type MultipartBody = z.infer<typeof MultipartBody>

/** A timestamp query value (RFC 3339 or SQLite's `YYYY-MM-DD HH:MM:SS`), handed on canonical. */
export const queryTimestamp = z.string().transform((text, ctx) => {
  const ms = parseTimestamp(text)
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `expected an RFC 3339 timestamp (e.g. 2026-05-20T12:00:00Z), got "${text}"` })
    return z.NEVER
  }
  return toCanonical(ms)
})

/** `sort` query value: a column name, `-name` for descending. */
export function sortQuery<const F extends readonly [string, ...string[]]>(fields: F) {
  const values = fields.flatMap((f) => [f, `-${f}`]) as [`${F[number]}` | `-${F[number]}`, ...(`${F[number]}` | `-${F[number]}`)[]]
  return z.enum(values)
}

/** Header name of an extra list count: `online` → `X-Online-Count`. */
export const countHeader = (name: string) =>
  `X-${name.replace(/(^|_)([a-z])/g, (_m, sep: string, c: string) => (sep ? '-' : '') + c.toUpperCase())}-Count`
