import { EventEmitter } from 'node:events'
import type { PushEvent, PushEventName, PushEvents } from '../../shared/events'

/** In-process push-event bus: projectors and control emit, IPC and SSE forward. */
export class EventBus {
  private emitter = new EventEmitter()

  constructor() {
    this.emitter.setMaxListeners(0)
  }

  emit<K extends PushEventName>(type: K, data: PushEvents[K]): void {
    this.emitter.emit('event', { type, data } satisfies PushEvent<K>)
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  subscribe(fn: (e: PushEvent) => void): () => void {
    this.emitter.on('event', fn)
    return () => this.emitter.off('event', fn)
  }
}
