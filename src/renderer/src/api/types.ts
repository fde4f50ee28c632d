import type { Operations, OpCallInput, OpOutput } from '@shared/api'
import type { PushEvent } from '@shared/events'

// Types of the renderer's typed client, derived from the shared operation contract.

export type OpName = keyof Operations & string
export type OpIn<N extends OpName> = OpCallInput<Operations[N]>
export type OpOut<N extends OpName> = OpOutput<Operations[N]>

/** One function per operation, like the preload's bridge. */
export type ApiClient = { [N in OpName]: (input?: OpIn<N>) => Promise<OpOut<N>> }

/** Connection of the renderer to the core (not NATS): the transport's own link. */
export type CoreLink = 'connecting' | 'up' | 'down' | 'unauthorized'

export interface Transport {
  readonly kind: 'ipc' | 'http'
  call<N extends OpName>(name: N, input: OpIn<N> | undefined): Promise<OpOut<N>>
  /** Push events; returns an unsubscribe function. */
  subscribe(listener: (event: PushEvent) => void): () => void
  /** State of the link to the core; returns an unsubscribe function. */
  onLink(listener: (link: CoreLink) => void): () => void
  /** A list operation as CSV text (the API's `?format=csv`, or built locally over IPC). */
  csv<N extends OpName>(name: N, input: OpIn<N> | undefined): Promise<string>
}
