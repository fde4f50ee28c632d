import type { PushEvent } from '@shared/events'
import type { KanadeBridge } from '@shared/bridge'
import { toCsv } from './csv'
import { ApiFailure, toFailure } from './failure'
import type { CoreLink, OpIn, OpName, OpOut, Transport } from './types'

// IPC transport: the desktop window calls the preload's one-function-per-operation bridge
// (`window.kanade`, typed in src/shared/bridge.ts).

type Reply = { ok: true; data: unknown } | { ok: false; error: { error: string; message: string; status?: number; detail?: unknown } }
type LooseBridge = Omit<KanadeBridge, 'api'> & { api: Record<string, ((input?: unknown) => Promise<Reply>) | undefined> }

export function bridge(): KanadeBridge | null {
  const k = typeof window !== 'undefined' ? window.kanade : undefined
  return k && typeof k.api === 'object' && k.api ? k : null
}

export class IpcTransport implements Transport {
  readonly kind = 'ipc' as const
  private readonly k: LooseBridge
  constructor(k: KanadeBridge) {
    this.k = k as unknown as LooseBridge
  }

  /** An offline-review window (read-only database, no NATS). */
  get review(): boolean {
    return this.k.mode === 'review'
  }

  async call<N extends OpName>(name: N, input: OpIn<N> | undefined): Promise<OpOut<N>> {
    const fn = this.k.api[name]
    if (!fn) throw new ApiFailure('internal', `the desktop bridge has no operation ${name}`)
    let reply: Reply
    try {
      reply = await fn(input ?? {})
    } catch (e) {
      throw toFailure(e)
    }
    if (!reply.ok) throw new ApiFailure(reply.error.error, reply.error.message, reply.error.status ?? 0, reply.error.detail)
    return reply.data as OpOut<N>
  }

  async csv<N extends OpName>(name: N, input: OpIn<N> | undefined): Promise<string> {
    const i = (input ?? {}) as { query?: Record<string, unknown> }
    const all = { ...i, query: { ...(i.query ?? {}), limit: 100_000, offset: 0 } } as unknown as OpIn<N>
    const out = (await this.call(name, all)) as unknown as { items?: Record<string, unknown>[] }
    return toCsv(out.items ?? [])
  }

  subscribe(listener: (e: PushEvent) => void): () => void {
    return this.k.onEvent(listener)
  }

  onLink(listener: (l: CoreLink) => void): () => void {
    listener('up') // the core lives in the same app: it is up while the window exists
    return () => {}
  }
}
