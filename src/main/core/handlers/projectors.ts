import type { DomainHandlers } from './types'
import type { ProjectorRow, projectorsOps } from '../../../shared/api/projectors'
import type { ProjectorStatusEvent } from '../../../shared/events'
import { notFound } from '../../../shared/api/errors'
import { deadLetterCounts, getDeadLetter, listDeadLetters, storedOffsets } from '../queries/projectors'
import { ts } from '../queries/sql'
import type { CoreServices } from '../services'

// Projector status = what the database knows (offsets, dead letters) merged with the live
// status of the running projectors subsystem, when it offers one: the subsystem registered as
// `projectors` may expose `status(): ProjectorStatusEvent[]` (the `projector.status` event's
// rows, plus optional `consumer`, `stream`, `updated_at`).

type LiveStatus = ProjectorStatusEvent & { consumer?: string | null; stream?: string | null; updated_at?: string | null }

interface StatusSource {
  status(): LiveStatus[] | Promise<LiveStatus[]>
}

async function liveStatus(core: CoreServices): Promise<LiveStatus[]> {
  const s = core.subsystems.get('projectors') as Partial<StatusSource> | undefined
  if (!s || typeof s.status !== 'function') return []
  try {
    return await s.status()
  } catch (e) {
    core.log.warn('projector status unavailable', e)
    return []
  }
}

export async function projectorRows(core: CoreServices): Promise<ProjectorRow[]> {
  const stored = new Map(storedOffsets(core.db).map((o) => [o.projector, o]))
  const dead = deadLetterCounts(core.db)
  const live = new Map((await liveStatus(core)).map((l) => [l.name, l]))
  const names = [...new Set([...stored.keys(), ...live.keys(), ...dead.keys()])].sort()
  return names.map((name) => {
    const o = stored.get(name)
    const l = live.get(name)
    return {
      name,
      consumer: l?.consumer ?? o?.consumer ?? null,
      stream: l?.stream ?? o?.stream ?? null,
      last_seq: Math.max(l?.last_seq ?? 0, o?.last_seq ?? 0),
      pending: l ? l.pending : null,
      dead_letters: dead.get(name) ?? l?.dead_letters ?? 0,
      last_error: l?.last_error ?? null,
      rate: l ? l.rate : null,
      state: l?.state ?? 'stopped',
      updated_at: ts(l?.updated_at ?? o?.updated_at),
    }
  })
}

export const projectorsHandlers: DomainHandlers<typeof projectorsOps> = {
  async listProjectors({ core }) {
    const items = await projectorRows(core)
    return { items, total: items.length }
  },
  async listDeadLetters({ core }, { query }) {
    return listDeadLetters(core.db, query)
  },
  async getDeadLetter({ core }, { params }) {
    const d = getDeadLetter(core.db, params.id)
    if (!d) throw notFound(`dead letter ${params.id} not found`)
    return d
  },
}
