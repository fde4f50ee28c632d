import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { ApiError } from '../../../shared/api/errors'
import { countHeader, type ListResult, type OperationDef } from '../../../shared/api/op'
import type { Caller, HandlerContext } from '../handlers/types'
import type { CoreServices } from '../services'
import { bodyKindOf, checkBodyKind, readMultipart } from './body'
import { csvColumns, toCsv } from './csv'
import { validationError } from './errors'

// Every contract operation becomes one fastify route: refusals first (read-only, broker
// down, wrong content type), then params / query / body parsed with the operation's zod
// schemas, the shared handler, and the reply shaped by the declaration (list → array +
// X-Total-Count or CSV, 204 → empty, text → text/plain).

export type AnyHandler = (ctx: HandlerContext, input: { params: unknown; query: unknown; body: unknown }) => Promise<unknown>

export interface RouteOptions {
  multipartLimit: number
  /** Check every response against its schema (tests): a mismatch is a 500. */
  validateResponses: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null
  }
}

function parse(part: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined
  const r = schema.safeParse(value, { reportInput: true })
  if (!r.success) throw validationError(part, r.error)
  return r.data
}

function wantsCsv(req: FastifyRequest, format: unknown): boolean {
  if (format === 'csv') return true
  if (format === 'json') return false
  const accept = String(req.headers.accept ?? '').toLowerCase()
  return accept.includes('text/csv')
}

function checkResponse(name: string, def: OperationDef, out: unknown): void {
  const rows = def.list ? (out as ListResult<unknown>).items : [out]
  for (const row of rows) {
    const r = def.response.safeParse(row)
    if (!r.success) throw new Error(`response of ${name} does not match its schema: ${r.error.message}`)
  }
}

async function send(name: string, def: OperationDef, req: FastifyRequest, reply: FastifyReply, out: unknown, format: unknown) {
  if (def.success === 204) return reply.code(204).send()
  if (def.text) return reply.code(def.success ?? 200).type('text/plain; charset=utf-8').send(String(out ?? ''))
  if (def.list) {
    const list = out as ListResult<unknown>
    reply.header('X-Total-Count', String(list.total))
    for (const [k, v] of Object.entries(list.counts ?? {})) reply.header(countHeader(k), String(v))
    if (wantsCsv(req, format)) {
      const rows = list.items as Record<string, unknown>[]
      return reply
        .code(200)
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}.csv"`)
        .send(toCsv(rows, csvColumns(def.response, rows)))
    }
    return reply.code(def.success ?? 200).send(list.items)
  }
  const status = def.httpStatus ? def.httpStatus(out) : (def.success ?? 200)
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(out ?? null))
}

export function registerContractRoutes(
  app: FastifyInstance,
  core: CoreServices,
  operations: Record<string, OperationDef>,
  handlers: Record<string, AnyHandler>,
  opts: RouteOptions,
): void {
  for (const [name, def] of Object.entries(operations)) {
    const handler = handlers[name]
    const multipart = !!def.bodyFormats?.includes('multipart')
    app.route({
      method: def.method,
      url: def.path,
      ...(multipart ? { bodyLimit: opts.multipartLimit } : {}),
      handler: async (req, reply) => {
        if (def.mutates && core.readonly) {
          throw new ApiError('read_only', 'the console is in offline review mode (read-only): nothing can be changed')
        }
        if (def.nats && (!core.nats || !core.nats.connected)) {
          throw new ApiError('nats_unavailable', 'the NATS connection is down; try again when it is back')
        }
        if (!handler) throw new ApiError('internal', `operation ${name} has no handler`)
        const kind = bodyKindOf(req)
        if (def.body) checkBodyKind(def, kind)

        const rawQuery = { ...((req.query as Record<string, unknown>) ?? {}) }
        const format = def.list ? rawQuery.format : undefined
        if (def.list) {
          if (format !== undefined && format !== 'csv' && format !== 'json') {
            throw new ApiError('bad_request', 'query.format: expected "csv" or "json"')
          }
          delete rawQuery.format
        }
        const params = parse('params', def.params, req.params)
        const query = parse('query', def.query, rawQuery)
        const rawBody = multipart && kind === 'multipart' ? await readMultipart(req) : req.body
        const body = parse('body', def.body, rawBody)

        const caller = req.caller ?? { actor: 'operator' }
        const out = await handler({ core, caller }, { params, query, body })
        if (opts.validateResponses && def.success !== 204 && !def.text) checkResponse(name, def, out)
        return send(name, def, req, reply, out, format)
      },
    })
  }
}
