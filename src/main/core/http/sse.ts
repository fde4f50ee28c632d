import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../../shared/api/errors'
import { PUSH_EVENT_NAMES, type PushEvent, type PushEventName } from '../../../shared/events'
import type { CoreServices } from '../services'

// GET /api/events: the core's push events as server-sent events. Each event is written as
// `event: <type>` with `data: {"type":…,"data":…}`; a comment line every 15 s keeps proxies
// and idle timers from closing the stream. `?types=a,b` narrows the stream. Authentication is
// that of /api/* (a browser's EventSource cannot send headers, so `?token=` is accepted here).

export const EVENTS_PATH = '/api/events'
/** A client that stops reading is dropped once this much is buffered for it. */
const MAX_BUFFERED = 1024 * 1024

function connectionSnapshot(core: CoreServices): PushEvent<'connection.state'> {
  if (!core.nats) {
    return {
      type: 'connection.state',
      data: { state: core.readonly ? 'offline_review' : 'disconnected', server: null, since: new Date(core.now()).toISOString(), lastError: null },
    }
  }
  const s = core.nats.status
  return { type: 'connection.state', data: { state: s.state, server: s.server, since: s.since, lastError: s.lastError } }
}

export function registerEvents(app: FastifyInstance, core: CoreServices, keepAliveMs: number): void {
  const open = new Set<() => void>()
  // Streams never end on their own: close them so app.close() does not wait forever.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end()
  })

  app.get(EVENTS_PATH, (req, reply) => {
    const raw = (req.query as Record<string, unknown>).types
    let types: Set<PushEventName> | null = null
    if (typeof raw === 'string' && raw.trim()) {
      const names = raw.split(',').map((s) => s.trim()).filter(Boolean)
      const unknown = names.filter((n) => !PUSH_EVENT_NAMES.includes(n as PushEventName))
      if (unknown.length) {
        throw new ApiError('bad_request', `query.types: unknown event ${unknown.join(', ')}; known: ${PUSH_EVENT_NAMES.join(', ')}`)
      }
      types = new Set(names as PushEventName[])
    }

    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    let id = 0
    let closed = false
    const end = () => {
      if (closed) return
      closed = true
      clearInterval(ping)
      unsubscribe()
      open.delete(end)
      res.end()
    }
    const write = (text: string) => {
      if (closed) return
      if (res.writableLength > MAX_BUFFERED) return end()
      res.write(text)
    }
    const send = (e: PushEvent) => {
      if (types && !types.has(e.type)) return
      write(`id: ${++id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
    }
    const unsubscribe = core.bus.subscribe(send)
    const ping = setInterval(() => write(': keep-alive\n\n'), keepAliveMs)
    open.add(end)
    res.on('close', end)
    write('retry: 3000\n: connected\n\n')
    send(connectionSnapshot(core))
  })
}
