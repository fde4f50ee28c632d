import { EVENT_CHANNEL, opChannel } from './channels'

// The object exposed to the dashboard as `window.kanade`: one named function per contract
// operation (never a generic invoke), a push-event subscription, and a little context.
// Built from plain names so it stays tiny and carries no schemas.

/** The part of ipcRenderer the bridge uses (a fake in tests). */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export interface BridgeObject {
  api: Record<string, (input?: unknown) => Promise<unknown>>
  onEvent(listener: (event: unknown) => void): () => void
  platform: string
  mode: 'live' | 'review'
}

export function createBridge(ipc: RendererIpc, names: readonly string[], platform: string, mode: 'live' | 'review'): BridgeObject {
  const api: Record<string, (input?: unknown) => Promise<unknown>> = {}
  for (const name of names) {
    const channel = opChannel(name)
    api[name] = (input?: unknown) => ipc.invoke(channel, input ?? {})
  }
  return {
    api,
    onEvent(listener) {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a function')
      // Only the payload reaches the page, never Electron's event object.
      const wrapped = (_event: unknown, payload: unknown) => listener(payload)
      ipc.on(EVENT_CHANNEL, wrapped)
      return () => {
        ipc.removeListener(EVENT_CHANNEL, wrapped)
      }
    },
    platform,
    mode,
  }
}
