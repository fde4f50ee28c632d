import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApi, type TestApi } from './helpers'
import { testHandlers, testOps } from './test-ops'
import { NatsLink } from '../../../src/main/core/nats/connect'

// The generic contract → HTTP layer: parsing, content types, limits, status mapping and
// refusals, on a test contract (so it holds for any domain's operations).

let t: TestApi
let ro: TestApi
const json = (url: string, payload: unknown, method: 'POST' | 'PUT' = 'POST') =>
  t.app.inject({ method, url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } })

beforeAll(async () => {
  t = await testApi({ operations: testOps, handlers: testHandlers, bodyLimit: 64 * 1024, multipartLimit: 100 * 1024 })
  ro = await testApi({ operations: testOps, handlers: testHandlers, readonly: true })
})
afterAll(async () => {
  await t.close()
  await ro.close()
})

describe('input parsing', () => {
  it('parses params, query and JSON body with the operation’s schemas (coercion, defaults)', async () => {
    const res = await json('/api/t/echo/7?flag=yes', { name: 'x' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: 7, name: 'x', flag: true })
  })

  it.each([
    ['/api/t/echo/abc', { name: 'x' }, 'params.id: expected a number'],
    ['/api/t/echo/0', { name: 'x' }, 'params.id: must be at least 1'],
    ['/api/t/echo/1?flag=maybe', { name: 'x' }, 'query.flag: matches none of the allowed shapes'],
    ['/api/t/echo/1', {}, 'body.name: required'],
    ['/api/t/echo/1', { name: 5 }, 'body.name: expected a string'],
    ['/api/t/echo/1', { name: '' }, 'body.name: must be at least 1 characters'],
    ['/api/t/echo/1', { name: 'x', n: 11 }, 'body.n: must be at most 10'],
    ['/api/t/echo/1', { name: 'x', n: 1.5 }, 'body.n: expected an int'],
    ['/api/t/echo/1', { name: 'x', kind: 'c' }, 'body.kind: expected one of "a", "b"'],
    ['/api/t/echo/1', [1, 2], 'body: expected an object'],
  ])('%s %j → 400 naming the field', async (url, payload, message) => {
    const res = await json(url, payload)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json()).toMatchObject({ error: 'bad_request', message })
    expect(res.json().detail.issues[0].path).toBe(message.split(':')[0])
  })

  it('a missing body is a 400 naming the body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/t/echo/1' })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toBe('body: required')
  })

  it('malformed JSON is a 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/t/echo/1', payload: '{"name":', headers: { 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toBe('bad_request')
    expect(res.json().message).toMatch(/^body: invalid JSON/)
  })

  it('prototype-poisoning JSON is refused', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/t/echo/1', payload: '{"name":"x","__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(400)
  })

  it('a body over the limit is a 413 JSON error', async () => {
    const res = await json('/api/t/echo/1', { name: 'x'.repeat(70 * 1024) })
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it('other content types are 415: text/plain, form-encoded, YAML where only JSON is taken', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/yaml', 'application/xml']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/t/echo/1', payload: 'name: x', headers: { 'content-type': type } })
      expect(res.statusCode, type).toBe(415)
      expect(res.json().error).toBe('unsupported_media_type')
    }
  })
})

describe('YAML bodies', () => {
  it('accepts application/yaml and text/yaml on operations that declare them', async () => {
    for (const type of ['application/yaml', 'text/yaml']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/t/yaml', payload: 'id: job-1\ntags:\n  - a\n  - b\n', headers: { 'content-type': type } })
      expect(res.statusCode, type).toBe(200)
      expect(res.json()).toEqual({ id: 'job-1', tags: ['a', 'b'] })
    }
    expect((await json('/api/t/yaml', { id: 'j', tags: [] })).statusCode).toBe(200)
  })

  it('a YAML syntax error is a 400 with its line', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/t/yaml', payload: 'id: job-1\ntags: [a, b\nx: 1\n', headers: { 'content-type': 'application/yaml' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/^body: invalid YAML at line \d+, column \d+/)
  })

  it('YAML that parses but does not fit is a 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/t/yaml', payload: 'id: 1\ntags: []\nextra: true\n', headers: { 'content-type': 'application/yaml' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toBe('body.id: expected a string; body: unknown key "extra"')
  })
})

function multipart(parts: { name: string; filename?: string; data: Buffer | string }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----kanadetest'
  const chunks: Buffer[] = []
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`
    const type = p.filename ? 'Content-Type: application/octet-stream\r\n' : ''
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${type}\r\n`), Buffer.from(p.data), Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

describe('multipart bodies', () => {
  it('hands `{ fields, file }` to the handler', async () => {
    const mp = multipart([
      { name: 'version', data: '1.2.3' },
      { name: 'file', filename: 'agent.exe', data: Buffer.alloc(5000, 7) },
    ])
    const res = await t.app.inject({ method: 'POST', url: '/api/t/upload', ...mp })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ filename: 'agent.exe', size: 5000, fields: { version: '1.2.3' } })
  })

  it('a file over the upload limit is a 413; JSON is a 415 there; multipart elsewhere is a 415', async () => {
    const big = multipart([{ name: 'file', filename: 'big.bin', data: Buffer.alloc(150 * 1024) }])
    const res = await t.app.inject({ method: 'POST', url: '/api/t/upload', ...big })
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toBe('payload_too_large')
    expect((await json('/api/t/upload', { fields: {}, file: null })).statusCode).toBe(415)
    const small = multipart([{ name: 'name', data: 'x' }])
    expect((await t.app.inject({ method: 'POST', url: '/api/t/echo/1', ...small })).statusCode).toBe(415)
  })
})

describe('responses', () => {
  it('text operations answer text/plain; 204 operations an empty body; success 201 is kept', async () => {
    const text = await t.app.inject({ method: 'GET', url: '/api/t/text' })
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(text.body).toBe('line 1\nline 2\n')
    const del = await t.app.inject({ method: 'DELETE', url: '/api/t/thing/1' })
    expect(del.statusCode).toBe(204)
    expect(del.body).toBe('')
    expect((await t.app.inject({ method: 'POST', url: '/api/t/created' })).statusCode).toBe(201)
  })

  it('list operations: the array, X-Total-Count and the extra counts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/t/rows' })
    expect(res.json()).toHaveLength(7)
    expect(res.headers['x-total-count']).toBe('17')
    expect(res.headers['x-online-count']).toBe('2')
    expect(res.headers['x-offline-count']).toBe('5')
    expect((await t.app.inject({ method: 'GET', url: '/api/t/rows?format=xml' })).json()).toMatchObject({ error: 'bad_request', message: 'query.format: expected "csv" or "json"' })
  })

  it('an ApiError keeps its status, code and detail', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/t/clash' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toEqual({ error: 'conflict', message: 'already exists', detail: { id: 'x' } })
  })

  it('an unexpected error is a 500 `internal` without its message or stack, and is logged', async () => {
    const logged: string[] = []
    const log = { error: (m: string) => logged.push(m), warn() {}, info() {}, debug() {}, child: () => log }
    const l = await testApi({ operations: testOps, handlers: testHandlers, log })
    const res = await l.app.inject({ method: 'GET', url: '/api/t/boom' })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ error: 'internal', message: 'internal error (see the console log)' })
    expect(res.body).not.toMatch(/secret|at line|\.ts/)
    expect(logged.join('\n')).toMatch(/secret database path/)
    // A response that breaks its own schema is our bug too (checked when validateResponses is on).
    expect((await l.app.inject({ method: 'GET', url: '/api/t/bad-shape' })).statusCode).toBe(500)
    await l.close()
  })

  it('unknown /api routes and wrong methods are 404 JSON', async () => {
    for (const [method, url] of [['GET', '/api/nope'], ['PUT', '/api/t/text'], ['GET', '/api/t/thing/1']] as const) {
      const res = await t.app.inject({ method, url })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.json()).toEqual({ error: 'not_found', message: `no route ${method} ${url}` })
    }
  })

  it('sends no CORS headers, even to a preflight', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/t/text', headers: { origin: 'https://evil.example' } })
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    const pre = await t.app.inject({ method: 'OPTIONS', url: '/api/t/text', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })
    expect(pre.statusCode).toBe(404)
    expect(Object.keys(pre.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
  })
})

describe('refusals', () => {
  it('mutating operations are 403 read_only in offline review; reads still work', async () => {
    const res = await ro.app.inject({ method: 'DELETE', url: '/api/t/thing/1' })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: 'read_only' })
    expect((await ro.app.inject({ method: 'GET', url: '/api/t/text' })).statusCode).toBe(200)
  })

  it('NATS-backed operations are 503 nats_unavailable without a connection or while it is down', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/t/nats' })
    expect(res.statusCode).toBe(503)
    expect(res.json().error).toBe('nats_unavailable')
    // A link object that reports itself down (reconnecting) counts as down too.
    const down = Object.assign(Object.create(NatsLink.prototype) as NatsLink, {
      status: { state: 'reconnecting', server: null, since: '', lastError: null, reconnects: 1 },
      nc: { isClosed: () => false },
    })
    t.core.nats = down
    expect((await t.app.inject({ method: 'GET', url: '/api/t/nats' })).statusCode).toBe(503)
    t.core.nats = null
  })
})

describe('real routes: bad input', () => {
  let r: TestApi
  beforeAll(async () => {
    r = await testApi()
  })
  afterAll(async () => r.close())

  it.each([
    ['/api/results?limit=abc', 'query.limit: expected a number'],
    ['/api/results?limit=0', 'query.limit: must be at least 1'],
    ['/api/results?offset=-1', 'query.offset: must be at least 0'],
    ['/api/results?status=done', 'query.status: expected one of "success", "failure", "running"'],
    ['/api/results?since=yesterday', 'query.since: expected an RFC 3339 timestamp (e.g. 2026-05-20T12:00:00Z), got "yesterday"'],
    ['/api/results?sort=stdout', 'query.sort: expected one of'],
    ['/api/agents?status=asleep', 'query.status: expected one of "online", "offline"'],
    ['/api/agents?include_groups=perhaps', 'query.include_groups: matches none of the allowed shapes'],
    ['/api/executions?status=bogus', 'query.status: expected one of "pending"'],
    ['/api/audit?until=2026-13-01T00:00:00Z', 'query.until: expected an RFC 3339 timestamp'],
    ['/api/dead_letters/abc', 'params.id: expected a number'],
    ['/api/dead_letters?limit=100001', 'query.limit: must be at most 100000'],
  ])('GET %s → 400', async (url, message) => {
    const res = await r.app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toBe('bad_request')
    expect(res.json().message.startsWith(message)).toBe(true)
  })

  it('write routes refuse bad bodies before anything else: oversize 413, wrong type 415, malformed 400', async () => {
    const big = await r.app.inject({ method: 'POST', url: '/api/jobs', payload: JSON.stringify({ id: 'x'.repeat(1024 * 1024 + 10) }), headers: { 'content-type': 'application/json' } })
    expect(big.statusCode).toBe(413)
    expect(big.json().error).toBe('payload_too_large')
    const text = await r.app.inject({ method: 'POST', url: '/api/run', payload: 'pc_id=x', headers: { 'content-type': 'text/plain' } })
    expect(text.statusCode).toBe(415)
    const broken = await r.app.inject({ method: 'PUT', url: '/api/config', payload: '{', headers: { 'content-type': 'application/json' } })
    expect(broken.statusCode).toBe(400)
    // A well-formed request to a broker-backed route without a broker: 503.
    const ok = await r.app.inject({ method: 'GET', url: '/api/jobs' })
    expect(ok.statusCode).toBe(503)
    expect(ok.json().error).toBe('nats_unavailable')
  })
})
