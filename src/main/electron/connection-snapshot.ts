import type { ConnectionState } from '../../shared/events'
import { toCanonical } from '../../shared/time'
import type { CoreServices } from '../core/services'

// The link state a freshly loaded dashboard and the tray start from, before the next
// `connection.state` event arrives. A read-only core has no NATS: it is an offline review.

export function connectionSnapshot(core: CoreServices): ConnectionState {
  if (core.readonly || !core.nats) {
    return { state: 'offline_review', server: null, since: toCanonical(core.now()), lastError: null }
  }
  const s = core.nats.status
  return { state: s.state, server: s.server, since: s.since, lastError: s.lastError }
}
