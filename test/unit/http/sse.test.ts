import { request, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildHttpApp } from '../../../src/main/core/http/server'
import type { FastifyInstance } from 'fastify'
import { makeCore } from './helpers'

// GET /api/events over a real socket: events from the core's bus arrive as SSE frames,
// keep-alive comments flow, and closing the stream unsubscribes from the bus.

let app: FastifyInstance
let base: string
let c: ReturnType<typeof makeCore>
const listeners = () => (c.core.bus as unknown as { emitter: { listenerCount(e: string): number } }).emitter.listenerCount('event')

beforeAll(async () => {
  c = makeCore({ auth: { disabled: false, staticToken: 'tok' } })
  app = await buildHttpApp(c.core, { webRoot: null, keepAliveMs: 40 })
  base = await app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await app.close()
  c.cleanup()
})

interface Stream {
  res: IncomingMessage
  text: () => string
  waitFor(re: RegExp, ms?: number): Promise<string>
  close(): void
}

function open(path: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      let buf = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (buf += d))
      resolve({
        res,
        text: () => buf,
        waitFor: (re, ms = 3000) =>
          new Promise((ok, fail) => {
            const started = Date.now()
            const tick = () => {
              const m = re.exec(buf)
              if (m) return ok(m[0])
              if (Date.now() - started > ms) return fail(new Error(`no ${re} in ${JSON.stringify(buf)}`))
              setTimeout(tick, 5)
            }
            tick()
          }),
        close: () => req.destroy(),
      })
    })
    req.on('error', reject)
    req.end()
  })
}

const waitUntil = async (f: () => boolean, ms = 3000) => {
  const start = Date.now()
  while (!f()) {
    if (Date.now() - start > ms) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('GET /api/events', () => {
  it('streams bus events as `event: <type>` + JSON envelope, with keep-alives; closing unsubscribes', async () => {
    const before = listeners()
    const s = await open('/api/events', { authorization: 'Bearer tok' })
    expect(s.res.statusCode).toBe(200)
    expect(s.res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(s.res.headers['cache-control']).toBe('no-cache, no-transform')
    expect(s.res.headers['access-control-allow-origin']).toBeUndefined()
    // The current connection state comes first.
    await s.waitFor(/event: connection\.state\ndata: .*\n\n/)
    expect(listeners()).toBe(before + 1)
    c.core.bus.emit('results.changed', { result_ids: ['r1'], exec_ids: ['e1'], pc_ids: ['pc-1'] })
    const frame = await s.waitFor(/id: \d+\nevent: results\.changed\ndata: .*\n\n/)
    const data = JSON.parse(frame.split('\ndata: ')[1])
    expect(data).toEqual({ type: 'results.changed', data: { result_ids: ['r1'], exec_ids: ['e1'], pc_ids: ['pc-1'] } })
    await s.waitFor(/: keep-alive\n\n/)
    s.close()
    await waitUntil(() => listeners() === before)
  })

  it('accepts ?token= (EventSource cannot set headers), refuses without a token, filters with ?types=', async () => {
    const denied = await open('/api/events')
    expect(denied.res.statusCode).toBe(401)
    await denied.waitFor(/"missing bearer token"/)
    const s = await open('/api/events?token=tok&types=agents.changed')
    expect(s.res.statusCode).toBe(200)
    await s.waitFor(/: connected/)
    c.core.bus.emit('results.changed', { result_ids: [], exec_ids: [], pc_ids: [] })
    c.core.bus.emit('agents.changed', { pc_ids: ['pc-9'] })
    await s.waitFor(/event: agents\.changed/)
    expect(s.text()).not.toMatch(/results\.changed|connection\.state/)
    s.close()
  })

  it('app.close() ends open streams instead of waiting for them', async () => {
    const c2 = makeCore()
    const app2 = await buildHttpApp(c2.core, { webRoot: null })
    const base2 = await app2.listen({ host: '127.0.0.1', port: 0 })
    const ended = new Promise<void>((resolve) => {
      request(`${base2}/api/events`, (res) => {
        res.resume()
        res.on('end', () => resolve())
      }).end()
    })
    await waitUntil(() => (c2.core.bus as unknown as { emitter: { listenerCount(e: string): number } }).emitter.listenerCount('event') === 1)
    await app2.close()
    await ended
    c2.cleanup()
  })
})
