import { operations } from '@shared/api'
import { HttpTransport } from './http'
import { bridge, IpcTransport } from './ipc'
import { adoptTokenFromUrl } from './token'
import type { ApiClient, OpIn, OpName, Transport } from './types'

// The renderer's typed client: one function per contract operation over the transport picked at
// runtime (the desktop's preload bridge when present, otherwise HTTP + server-sent events).

export function pickTransport(): Transport {
  const k = bridge()
  if (k) return new IpcTransport(k)
  if (typeof window !== 'undefined') adoptTokenFromUrl()
  return new HttpTransport()
}

export function createClient(transport: Transport): ApiClient {
  const client = {} as Record<string, (input?: unknown) => Promise<unknown>>
  for (const name of Object.keys(operations)) {
    client[name] = (input?: unknown) => transport.call(name as OpName, input as OpIn<OpName>)
  }
  return client as ApiClient
}

export const transport: Transport = pickTransport()
export const api: ApiClient = createClient(transport)
