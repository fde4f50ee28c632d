import { afterEach, describe, expect, it, vi } from 'vitest'
import type { QueryClient } from '@tanstack/react-query'
import { HttpTransport } from '../../../src/renderer/src/api/http'
import { ApiFailure } from '../../../src/renderer/src/api/failure'
import { createInvalidator } from '../../../src/renderer/src/api/live'

// The HTTP transport builds requests from the contract and reads kanade's list headers and
// error bodies; push events invalidate cached domains, throttled per domain.

type Call = { url: string; init: RequestInit }
function fakeFetch(reply: (c: Call) => Response) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const c = { url, init }
    calls.push(c)
    return reply(c)
  })
  return calls
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('HttpTransport', () => {
  it('reads a list with X-Total-Count and the extra counts', async () => {
    const calls = fakeFetch(() => new Response(JSON.stringify([{ pc_id: 'a' }]), { headers: { 'X-Total-Count': '42', 'X-Online-Count': '40', 'X-Offline-Count': '2' } }))
    const out = await new HttpTransport('http://h').call('listAgents', { query: { status: 'online', q: '', limit: 5 } })
    expect(out).toEqual({ items: [{ pc_id: 'a' }], total: 42, counts: { online: 40, offline: 2 } })
    expect(calls[0].url).toBe('http://h/api/agents?status=online&limit=5')
    expect(calls[0].init.method).toBe('GET')
    expect((calls[0].init.headers as Record<string, string>)['X-Kanade-Source']).toBe('spa')
  })

  it('sends JSON bodies to the declared method and path', async () => {
    const calls = fakeFetch(() => new Response(JSON.stringify({ groups: ['x'] })))
    await new HttpTransport().call('putAgentGroups', { params: { pc_id: 'PC 1' }, body: { groups: ['x'] } })
    expect(calls[0].url).toBe('/api/agents/PC%201/groups')
    expect(calls[0].init.method).toBe('PUT')
    expect(calls[0].init.body).toBe('{"groups":["x"]}')
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
  })

  it('sends a YAML string as application/yaml where the operation takes YAML', async () => {
    const calls = fakeFetch(() => new Response(JSON.stringify({ id: 'j', version: '1', description: null, inventory: false })))
    await new HttpTransport().call('upsertJob', { body: 'id: j\n' as never })
    expect(calls[0].init.body).toBe('id: j\n')
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/yaml')
  })

  it('turns {error, message} replies into ApiFailure with the API message', async () => {
    fakeFetch(() => new Response(JSON.stringify({ error: 'conflict', message: 'job "x" is used by schedule "s"' }), { status: 409 }))
    const e = await new HttpTransport().call('deleteJob', { params: { id: 'x' } }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiFailure)
    expect(e).toMatchObject({ code: 'conflict', status: 409, message: 'job "x" is used by schedule "s"' })
  })

  it('keeps a plain-text error body as the message', async () => {
    fakeFetch(() => new Response('upstream exploded', { status: 502 }))
    await expect(new HttpTransport().call('getJob', { params: { id: 'x' } })).rejects.toMatchObject({ code: 'http_502', message: 'upstream exploded' })
  })

  it('reads a degraded fleet health (503 with the regular body) as data', async () => {
    const body = { status: 'degraded', agents: { known: 2, active: 1, stale: 1 } }
    fakeFetch(() => new Response(JSON.stringify(body), { status: 503 }))
    expect(await new HttpTransport().call('fleetHealth', undefined)).toEqual(body)
  })

  it('returns nothing for 204 and reports network failures', async () => {
    fakeFetch(() => new Response(null, { status: 204 }))
    expect(await new HttpTransport().call('revokeScript', { params: { cmd_id: 'x' } })).toBeUndefined()
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed')
    })
    await expect(new HttpTransport().call('listJobs', { query: {} })).rejects.toMatchObject({ code: 'network' })
  })

  it('asks the API for CSV with format=csv', async () => {
    const calls = fakeFetch(() => new Response('pc_id\r\na\r\n', { headers: { 'content-type': 'text/csv' } }))
    expect(await new HttpTransport().csv('listAudit', { query: { action: 'exec' } })).toBe('pc_id\r\na\r\n')
    expect(calls[0].url).toBe('/api/audit?action=exec&format=csv')
    expect((calls[0].init.headers as Record<string, string>).Accept).toBe('text/csv')
  })
})

describe('push-event invalidation', () => {
  it('invalidates the domains an event makes stale, at most once per window with a trailing refresh', () => {
    vi.useFakeTimers()
    const keys: string[] = []
    const qc = { invalidateQueries: (f: { queryKey: string[] }) => keys.push(f.queryKey[0]) } as unknown as QueryClient
    const inv = createInvalidator(qc)
    inv.onEvent({ type: 'agents.changed', data: { pc_ids: ['a'] } })
    expect(keys.sort()).toEqual(['agents', 'groups', 'health'])
    keys.length = 0
    for (let i = 0; i < 50; i++) inv.onEvent({ type: 'agents.changed', data: { pc_ids: [String(i)] } })
    expect(keys).toEqual([]) // a burst inside the window waits…
    vi.advanceTimersByTime(1600)
    expect(keys.sort()).toEqual(['agents', 'groups', 'health']) // …and refreshes once at its end
    keys.length = 0
    vi.advanceTimersByTime(5000)
    expect(keys).toEqual([])
    inv.onEvent({ type: 'schedules.changed', data: { ids: ['s'] } })
    expect(keys).toEqual(['schedules'])
    inv.dispose()
  })
})
