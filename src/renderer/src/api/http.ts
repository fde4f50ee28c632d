import { operations, type OperationDef } from '@shared/api'
import { PUSH_EVENT_NAMES, type PushEvent, type PushEventName } from '@shared/events'
import { ApiFailure } from './failure'
import { getToken } from './token'
import { opUrl } from './url'
import type { CoreLink, OpIn, OpName, OpOut, Transport } from './types'

// HTTP transport: the same page served by `kanade-console serve` talks to /api with fetch and
// receives push events over server-sent events (GET /api/events).

type Dict = Record<string, unknown>
const COUNT_HEADER = /^x-(.+)-count$/i

function defOf(name: string): OperationDef {
  const def = (operations as Record<string, OperationDef>)[name]
  if (!def) throw new ApiFailure('internal', `unknown operation ${name}`)
  return def
}

function authHeaders(): Record<string, string> {
  const token = getToken()
  const h: Record<string, string> = { 'X-Kanade-Source': 'spa' }
  if (token) h.Authorization = `Bearer ${token}`
  return h
}

function encodeBody(def: OperationDef, body: unknown): { body?: BodyInit; type?: string } {
  if (body === undefined) return {}
  if (typeof body === 'string' && def.bodyFormats?.includes('yaml')) return { body, type: 'application/yaml' }
  if (def.bodyFormats?.includes('multipart') && body && typeof body === 'object' && 'fields' in body) {
    const mp = body as { fields?: Record<string, string>; file?: { filename: string; data: Uint8Array } | null }
    const fd = new FormData()
    for (const [k, v] of Object.entries(mp.fields ?? {})) fd.set(k, v)
    if (mp.file) fd.set('file', new Blob([mp.file.data as BlobPart]), mp.file.filename)
    return { body: fd }
  }
  return { body: JSON.stringify(body), type: 'application/json' }
}

/** An error reply: the contract's JSON `{error, message}`, or kanade-style plain text. */
function failureOf(res: Response, text: string): ApiFailure {
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown }
    if (typeof j.error === 'string') {
      return new ApiFailure(j.error, typeof j.message === 'string' ? j.message : j.error, res.status, j.detail)
    }
  } catch {
    // not JSON
  }
  const code = res.status === 401 ? 'unauthorized' : res.status === 404 ? 'not_found' : `http_${res.status}`
  return new ApiFailure(code, text.trim() || `${res.status} ${res.statusText}`, res.status)
}

export class HttpTransport implements Transport {
  readonly kind = 'http' as const
  private listeners = new Set<(e: PushEvent) => void>()
  private linkListeners = new Set<(l: CoreLink) => void>()
  private link: CoreLink = 'connecting'
  private source: EventSource | null = null
  private retry: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly base = '') {}

  private setLink(l: CoreLink): void {
    if (l === this.link) return
    this.link = l
    for (const f of this.linkListeners) f(l)
  }

  private async request(def: OperationDef, input: Dict | undefined, extraQuery?: Dict, accept?: string): Promise<Response> {
    const { body, type } = encodeBody(def, input?.body)
    const headers: Record<string, string> = { ...authHeaders(), Accept: accept ?? 'application/json' }
    if (type) headers['Content-Type'] = type
    let res: Response
    try {
      res = await fetch(this.base + opUrl(def, input, extraQuery), { method: def.method, headers, body })
    } catch (e) {
      this.setLink('down')
      throw new ApiFailure('network', e instanceof Error ? e.message : String(e))
    }
    if (res.status === 401) this.setLink('unauthorized')
    else if (this.link !== 'up' && this.source?.readyState === 1) this.setLink('up') // 1 = EventSource.OPEN
    if (!res.ok) {
      const text = await res.text().catch(() => '')
      // Some reads answer a status with a regular body (fleet health: 503 when degraded).
      if (def.httpStatus) {
        try {
          const j = JSON.parse(text) as { error?: unknown }
          if (j && typeof j === 'object' && typeof j.error !== 'string') return new Response(text, { status: 200 })
        } catch {
          // fall through to the error
        }
      }
      throw failureOf(res, text)
    }
    return res
  }

  async call<N extends OpName>(name: N, input: OpIn<N> | undefined): Promise<OpOut<N>> {
    const def = defOf(name)
    const res = await this.request(def, input as Dict | undefined)
    if (res.status === 204 || def.success === 204) return undefined as OpOut<N>
    if (def.text) return (await res.text()) as OpOut<N>
    const data = (await res.json()) as unknown
    if (!def.list) return data as OpOut<N>
    const items = Array.isArray(data) ? data : []
    const counts: Record<string, number> = {}
    let total = items.length
    res.headers.forEach((value, key) => {
      const m = COUNT_HEADER.exec(key)
      if (!m) return
      const n = Number(value)
      if (!Number.isFinite(n)) return
      if (m[1].toLowerCase() === 'total') total = n
      else counts[m[1].toLowerCase()] = n
    })
    return { items, total, counts } as OpOut<N>
  }

  async csv<N extends OpName>(name: N, input: OpIn<N> | undefined): Promise<string> {
    const res = await this.request(defOf(name), input as Dict | undefined, { format: 'csv' }, 'text/csv')
    return res.text()
  }

  subscribe(listener: (e: PushEvent) => void): () => void {
    this.listeners.add(listener)
    this.open()
    return () => this.listeners.delete(listener)
  }

  onLink(listener: (l: CoreLink) => void): () => void {
    this.linkListeners.add(listener)
    listener(this.link)
    this.open()
    return () => this.linkListeners.delete(listener)
  }

  /** Re-open the event stream (after the token changed). */
  reconnect(): void {
    this.source?.close()
    this.source = null
    this.open()
  }

  private emit(type: PushEventName, raw: string): void {
    let data: unknown
    try {
      data = JSON.parse(raw)
    } catch {
      return
    }
    // Accept both `event: <type>` + data, and a bare `{type, data}` envelope.
    const ev =
      data && typeof data === 'object' && 'type' in data && 'data' in data
        ? (data as PushEvent)
        : ({ type, data } as PushEvent)
    for (const f of this.listeners) f(ev)
  }

  private open(): void {
    if (this.source || typeof EventSource === 'undefined') return
    const token = getToken()
    const url = `${this.base}/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`
    const es = new EventSource(url)
    this.source = es
    es.onopen = () => this.setLink('up')
    es.onmessage = (m) => {
      try {
        const env = JSON.parse(m.data as string) as { type?: PushEventName }
        if (env.type) this.emit(env.type, m.data as string)
      } catch {
        // ignore keep-alive or malformed lines
      }
    }
    for (const name of PUSH_EVENT_NAMES) es.addEventListener(name, (m) => this.emit(name, (m as MessageEvent).data as string))
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. 401 or the core stopped): find out why and retry ourselves.
        this.source = null
        void this.probe()
        if (this.retry) clearTimeout(this.retry)
        this.retry = setTimeout(() => this.open(), 3000)
      } else {
        this.setLink('down')
      }
    }
  }

  private async probe(): Promise<void> {
    // GET the stream itself and abort once the status is known (a HEAD could hang on a stream).
    const ctl = new AbortController()
    try {
      const res = await fetch(`${this.base}/api/events`, { headers: authHeaders(), signal: ctl.signal })
      ctl.abort()
      this.setLink(res.status === 401 ? 'unauthorized' : res.ok ? 'connecting' : 'down')
    } catch {
      this.setLink('down')
    }
  }
}
