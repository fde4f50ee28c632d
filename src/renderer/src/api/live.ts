import { useEffect, useSyncExternalStore } from 'react'
import type { QueryClient } from '@tanstack/react-query'
import type { ConnectionState, ProjectorStatusEvent, PushEvent } from '@shared/events'
import { transport } from './client'
import { STALE_ON, type Domain } from './domains'
import type { CoreLink } from './types'

// Push events → cache: every event invalidates the domains it makes stale (throttled per domain so
// a burst of heartbeats refetches once), and the latest connection/projector state is kept for the
// banner and status pages. Nothing here polls.

export interface LiveState {
  link: CoreLink
  nats: ConnectionState | null
  projectors: ProjectorStatusEvent[] | null
  /** Increments on every push event; handy for "live" indicators. */
  events: number
}

let state: LiveState = { link: 'connecting', nats: null, projectors: null, events: 0 }
const listeners = new Set<() => void>()

function set(patch: Partial<LiveState>): void {
  state = { ...state, ...patch }
  for (const f of listeners) f()
}

/** The live state outside React (error texts). */
export const liveSnapshot = (): LiveState => state

export function useLive(): LiveState {
  return useSyncExternalStore(
    (f) => {
      listeners.add(f)
      return () => listeners.delete(f)
    },
    () => state,
  )
}

const WINDOW_MS: Partial<Record<Domain, number>> = { agents: 1500, executions: 400, results: 800 }

export function createInvalidator(qc: QueryClient) {
  const timers = new Map<Domain, ReturnType<typeof setTimeout>>()
  const dirty = new Set<Domain>()
  const fire = (d: Domain) => void qc.invalidateQueries({ queryKey: [d] })
  const touch = (d: Domain) => {
    if (timers.has(d)) {
      dirty.add(d)
      return
    }
    fire(d)
    const close = () => {
      if (dirty.delete(d)) {
        fire(d)
        timers.set(d, setTimeout(close, WINDOW_MS[d] ?? 500))
      } else {
        timers.delete(d)
      }
    }
    timers.set(d, setTimeout(close, WINDOW_MS[d] ?? 500))
  }
  return {
    onEvent(e: PushEvent): void {
      for (const d of STALE_ON[e.type] ?? []) touch(d)
    },
    dispose(): void {
      for (const t of timers.values()) clearTimeout(t)
      timers.clear()
    },
  }
}

/** Mount once at the root: wires push events to the query cache and the live store. */
export function useLiveUpdates(qc: QueryClient): void {
  useEffect(() => {
    const inv = createInvalidator(qc)
    let wasDown = false
    // A desktop review window knows its mode up front (the HTTP stream sends it as its first event).
    if ((transport as { review?: boolean }).review) {
      set({ nats: { state: 'offline_review', server: null, since: new Date().toISOString(), lastError: null } })
    }
    const offEvents = transport.subscribe((e) => {
      if (e.type === 'connection.state') set({ nats: e.data as ConnectionState })
      if (e.type === 'projector.status') set({ projectors: (e.data as { projectors: ProjectorStatusEvent[] }).projectors })
      set({ events: state.events + 1 })
      inv.onEvent(e)
    })
    const offLink = transport.onLink((link) => {
      // Events may have been missed while the link was down: refresh everything once it is back.
      if (link === 'up' && wasDown) void qc.invalidateQueries()
      wasDown = link !== 'up'
      set({ link })
    })
    return () => {
      offEvents()
      offLink()
      inv.dispose()
    }
  }, [qc])
}
