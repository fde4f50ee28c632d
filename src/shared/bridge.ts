import type { ErrorCode } from './api/errors'
import type { OpCallInput, OpOutput } from './api/op'
import type { Operations } from './api/index'
import type { PushEvent } from './events'

// Type of `window.kanade`, the desktop bridge exposed by src/preload/index.ts. It lives in
// shared so both the preload and the renderer's typed client import it from one place.

export type KanadeReply<T> =
  | { ok: true; data: T }
  | { ok: false; error: { error: ErrorCode; message: string; status: number; detail?: unknown } }

export type KanadeApi = {
  [N in keyof Operations & string]: (input?: OpCallInput<Operations[N]>) => Promise<KanadeReply<OpOutput<Operations[N]>>>
}

export interface KanadeBridge {
  /** One function per contract operation; resolves to an envelope, never rejects for API errors. */
  api: KanadeApi
  /** Push events of the core; returns the unsubscribe function. */
  onEvent(listener: (event: PushEvent) => void): () => void
  /** `process.platform` of the desktop (win32, darwin, linux). */
  platform: string
  /** `review` in an offline-review window (read-only database, no NATS). */
  mode: 'live' | 'review'
}
