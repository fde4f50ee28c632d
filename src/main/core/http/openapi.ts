import { z } from 'zod'
import { countHeader, type OperationDef } from '../../../shared/api/op'
import { EVENTS_PATH } from './sse'

// GET /api/openapi.json: an OpenAPI 3.1 document generated from the operation contract with
// zod's JSON Schema output (inputs as they are sent, responses as they are returned). Nested
// `$defs` (recursive shapes) are hoisted into components.schemas so every $ref resolves
// against the document.

type Json = Record<string, unknown>

const ERROR_REF = { $ref: '#/components/schemas/Error' }

class SchemaSink {
  readonly components: Record<string, Json> = {}

  /** JSON Schema of `schema`, with its definitions moved into the components under `name`. */
  embed(schema: z.ZodType, io: 'input' | 'output', name: string): Json {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json
    delete json.$schema
    const defs = (json.$defs ?? {}) as Record<string, Json>
    delete json.$defs
    const refOf = (key: string) => `#/components/schemas/${name}.${key}`
    const selfRef = `#/components/schemas/${name}`
    let selfUsed = false
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite)
      if (!node || typeof node !== 'object') return node
      const out: Json = {}
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') {
          if (v === '#') {
            selfUsed = true
            out[k] = selfRef
          } else if (v.startsWith('#/$defs/')) {
            out[k] = refOf(v.slice('#/$defs/'.length))
          } else {
            out[k] = v
          }
        } else {
          out[k] = rewrite(v)
        }
      }
      return out
    }
    for (const [key, def] of Object.entries(defs)) this.components[`${name}.${key}`] = rewrite(def) as Json
    const root = rewrite(json) as Json
    if (!selfUsed) return root
    this.components[name] = root
    return { $ref: selfRef }
  }
}

/** `/api/agents/:pc_id` → `/api/agents/{pc_id}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')

function parameters(sink: SchemaSink, schema: z.ZodType | undefined, where: 'path' | 'query', name: string): Json[] {
  if (!schema) return []
  const json = sink.embed(schema, 'input', name)
  const props = (json.properties ?? {}) as Record<string, Json>
  const required = new Set((json.required ?? []) as string[])
  return Object.entries(props).map(([p, s]) => {
    const { description, ...rest } = s
    return {
      name: p,
      in: where,
      required: where === 'path' ? true : required.has(p),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    }
  })
}

const err = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } })

function operation(sink: SchemaSink, name: string, def: OperationDef): Json {
  const tag = def.path.split('/')[2] ?? 'api'
  const params = [
    ...parameters(sink, def.params, 'path', `${name}.params`),
    ...parameters(sink, def.query, 'query', `${name}.query`),
  ]
  if (def.list) {
    params.push({
      name: 'format',
      in: 'query',
      required: false,
      description: '`csv` for a CSV export (same as Accept: text/csv)',
      schema: { type: 'string', enum: ['json', 'csv'] },
    })
  }

  let requestBody: Json | undefined
  if (def.body) {
    const content: Json = {}
    if (def.bodyFormats?.includes('multipart')) {
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
          additionalProperties: { type: 'string' },
        },
      }
    } else {
      const schema = sink.embed(def.body, 'input', `${name}.body`)
      content['application/json'] = { schema }
      if (def.bodyFormats?.includes('yaml')) content['application/yaml'] = { schema }
    }
    requestBody = { required: true, content }
  }

  const status = String(def.success ?? 200)
  let ok: Json
  if (def.success === 204) {
    ok = { description: 'done (no content)' }
  } else if (def.text) {
    ok = { description: 'plain text', content: { 'text/plain': { schema: { type: 'string' } } } }
  } else if (def.list) {
    const row = sink.embed(def.response, 'output', `${name}.row`)
    const headers: Json = {
      'X-Total-Count': { description: 'rows matching the filters, before paging', schema: { type: 'integer' } },
    }
    for (const c of def.counts ?? []) headers[countHeader(c)] = { description: `${c} count`, schema: { type: 'integer' } }
    ok = {
      description: 'rows',
      headers,
      content: {
        'application/json': { schema: { type: 'array', items: row } },
        'text/csv': { schema: { type: 'string' } },
      },
    }
  } else {
    ok = { description: 'ok', content: { 'application/json': { schema: sink.embed(def.response, 'output', `${name}.response`) } } }
  }
  const responses: Json = { [status]: ok }
  if (def.httpStatus && ok.content) responses['503'] = { ...ok, description: 'same body, degraded' }
  if (params.length || def.body) responses['400'] = err('bad input (the message names the field)')
  responses['401'] = err('missing or invalid bearer token')
  if (def.params) responses['404'] = err('not found')
  if (def.body) {
    responses['413'] = err('body too large')
    responses['415'] = err('unsupported content type')
  }
  if (def.mutates) responses['403'] = err('read-only (offline review)')
  if (def.nats && !responses['503']) responses['503'] = err('the NATS connection is down')
  responses['500'] = err('internal error')

  return {
    operationId: name,
    summary: def.summary,
    tags: [tag],
    ...(params.length ? { parameters: params } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  }
}

export function buildOpenApi(operations: Record<string, OperationDef>, version: string): Json {
  const sink = new SchemaSink()
  const paths: Record<string, Json> = {}
  for (const [name, def] of Object.entries(operations)) {
    const p = openApiPath(def.path)
    paths[p] ??= {}
    paths[p][def.method.toLowerCase()] = operation(sink, name, def)
  }
  paths[EVENTS_PATH] = {
    get: {
      operationId: 'events',
      summary: 'Push events as server-sent events; `?token=` is accepted in place of the Authorization header',
      tags: ['events'],
      parameters: [
        { name: 'types', in: 'query', required: false, description: 'comma-separated event names', schema: { type: 'string' } },
        { name: 'token', in: 'query', required: false, description: 'bearer token (EventSource cannot set headers)', schema: { type: 'string' } },
      ],
      responses: { '200': { description: 'event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '401': err('missing or invalid bearer token') },
    },
  }
  paths['/api/openapi.json'] = {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      tags: ['meta'],
      responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  }
  paths['/health'] = {
    get: {
      operationId: 'health',
      summary: 'Liveness of the console process (public)',
      tags: ['meta'],
      security: [],
      responses: { '200': { description: '`ok`', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'kanade-console API',
      version,
      description:
        'kanade-backend 0.30 compatible /api with the console’s additions. Errors are JSON `{error, message}`; ' +
        'list routes set X-Total-Count and export CSV with `?format=csv` or `Accept: text/csv`.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the static / per-install token, or an HS256 JWT with aud=kanade' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, detail: {} },
        },
        ...sink.components,
      },
    },
  }
}
