import { z } from 'zod'
import { ApiError, conflict } from '../../../src/shared/api/errors'
import { MultipartBody, op, queryBool, type OperationDef } from '../../../src/shared/api/op'
import type { AnyHandler } from '../../../src/main/core/http/routes'

// A small contract exercising every feature of the generic HTTP layer (body formats, 204,
// text, list + counts, mutates, nats, errors), independent of the real domains.

const Item = z.object({ id: z.number().int(), name: z.string(), flag: z.boolean() })

export const testOps = {
  echo: op({
    method: 'POST',
    path: '/api/t/echo/:id',
    summary: 'echo',
    params: z.object({ id: z.coerce.number().int().min(1) }),
    query: z.object({ flag: queryBool.optional() }),
    body: z.object({ name: z.string().min(1), n: z.number().int().min(1).max(10).default(1), kind: z.enum(['a', 'b']).optional() }),
    response: Item,
  }),
  yamlIn: op({
    method: 'POST',
    path: '/api/t/yaml',
    summary: 'yaml',
    body: z.strictObject({ id: z.string(), tags: z.array(z.string()) }),
    bodyFormats: ['yaml'],
    response: z.object({ id: z.string(), tags: z.array(z.string()) }),
  }),
  upload: op({
    method: 'POST',
    path: '/api/t/upload',
    summary: 'upload',
    body: MultipartBody,
    bodyFormats: ['multipart'],
    response: z.object({ filename: z.string().nullable(), size: z.number(), fields: z.record(z.string(), z.string()) }),
  }),
  textOut: op({ method: 'GET', path: '/api/t/text', summary: 'text', response: z.string(), text: true }),
  remove: op({
    method: 'DELETE',
    path: '/api/t/thing/:id',
    summary: 'delete',
    params: z.object({ id: z.string() }),
    response: z.null(),
    success: 204,
    mutates: true,
  }),
  natsy: op({ method: 'GET', path: '/api/t/nats', summary: 'nats', response: z.object({ ok: z.boolean() }), nats: true }),
  boom: op({ method: 'GET', path: '/api/t/boom', summary: 'boom', response: z.object({}) }),
  clash: op({ method: 'POST', path: '/api/t/clash', summary: 'clash', response: z.object({}) }),
  badShape: op({ method: 'GET', path: '/api/t/bad-shape', summary: 'bad', response: z.object({ n: z.number() }) }),
  rows: op({
    method: 'GET',
    path: '/api/t/rows',
    summary: 'rows',
    query: z.object({ empty: queryBool.optional() }),
    response: z.object({ id: z.number(), text: z.string().nullable(), nested: z.unknown(), when: z.string().nullable() }),
    list: true,
    counts: ['online', 'offline'],
  }),
  whoami: op({ method: 'GET', path: '/api/t/whoami', summary: 'caller', response: z.object({ actor: z.string(), sub: z.string().nullable(), source: z.string().nullable() }) }),
  created: op({ method: 'POST', path: '/api/t/created', summary: 'created', response: z.object({ id: z.string() }), success: 201 }),
} as const satisfies Record<string, OperationDef>

export const CSV_ROWS = [
  { id: 1, text: '=HYPERLINK("http://evil")', nested: { a: [1, 2] }, when: '2026-05-20T12:00:00.000Z' },
  { id: -2, text: 'line one\r\nline "two", with comma', nested: null, when: null },
  { id: 3, text: '+1', nested: '-cmd', when: null },
  { id: 4, text: '@SUM(A1)', nested: ['x'], when: null },
  { id: 5, text: '\tTAB', nested: 'plain', when: null },
  { id: 6, text: 'ユニコード ✓', nested: 0, when: null },
  { id: 7, text: null, nested: true, when: null },
]

export const testHandlers: Record<string, AnyHandler> = {
  echo: async (_c, i) => {
    const { params, query, body } = i as { params: { id: number }; query: { flag?: boolean }; body: { name: string } }
    return { id: params.id, name: body.name, flag: query.flag ?? false }
  },
  yamlIn: async (_c, i) => i.body,
  upload: async (_c, i) => {
    const b = i.body as MultipartBody
    return { filename: b.file?.filename ?? null, size: b.file?.data.length ?? 0, fields: b.fields }
  },
  textOut: async () => 'line 1\nline 2\n',
  remove: async () => undefined,
  natsy: async () => ({ ok: true }),
  boom: async () => {
    throw new Error('secret database path /var/x at line 42')
  },
  clash: async () => {
    throw conflict('already exists', { id: 'x' })
  },
  badShape: async () => ({ n: 'not a number' }),
  rows: async (_c, i) => {
    const empty = (i.query as { empty?: boolean }).empty
    const items = empty ? [] : CSV_ROWS
    return { items, total: items.length + 10, counts: { online: 2, offline: 5 } }
  },
  whoami: async ({ caller }) => ({ actor: caller.actor, sub: caller.sub ?? null, source: caller.source ?? null }),
  created: async () => ({ id: 'new' }),
}

export { ApiError }
