import { useOp } from '../api/hooks'
import { useLive } from '../api/live'
import type { ConnectionState } from '@shared/events'

// What the admin should know about the links: core (this page ↔ console) and NATS (console ↔ fleet).

export type NatsState = ConnectionState['state'] | 'unknown'

export function useConnection() {
  const live = useLive()
  const health = useOp('fleetHealth', undefined, { staleTime: 60_000, retry: false })
  let nats: NatsState = live.nats?.state ?? 'unknown'
  if (nats === 'unknown' && health.data) nats = health.data.nats_connected ? 'connected' : 'disconnected'
  const review = nats === 'offline_review'
  return { link: live.link, nats, natsInfo: live.nats, health: health.data ?? null, review }
}
