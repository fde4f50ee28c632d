import type { DomainHandlers } from './types'
import type { DisplayFieldOut, inventoryOps } from '../../../shared/api/inventory'
import { KV } from '../../../shared/nats-names'
import { factsForJob, factsForPc, jobsWithFacts } from '../queries/inventory'
import { catalogSource, readCatalog } from '../kv-mirror/source'
import type { CoreServices } from '../services'

// Inventory (routes #38–40). The list of inventory manifests comes from the job catalog (KV
// `jobs`, or its SQLite mirror without a broker) like kanade; when neither can serve, it falls
// back to the manifests that have stored facts, with their snapshotted hints.

interface CatalogEntry {
  manifest_id: string
  description: string | null
  display: DisplayFieldOut[] | null
  summary: DisplayFieldOut[] | null
}

function inventoryEntry(id: string, text: string): CatalogEntry | null {
  let m: { description?: unknown; inventory?: { display?: unknown; summary?: unknown } | null }
  try {
    m = JSON.parse(text) as typeof m
  } catch {
    return null
  }
  const inv = m?.inventory
  if (!inv || typeof inv !== 'object' || !Array.isArray(inv.display)) return null
  return {
    manifest_id: id,
    description: typeof m.description === 'string' ? m.description : null,
    display: inv.display as DisplayFieldOut[],
    summary: Array.isArray(inv.summary) ? (inv.summary as DisplayFieldOut[]) : null,
  }
}

async function catalog(core: CoreServices, only?: string[]): Promise<CatalogEntry[] | null> {
  if (!catalogSource(core, KV.jobs)) return null
  const raw = await readCatalog(core, KV.jobs, { only, missing: 'empty' })
  return [...raw]
    .map(([id, e]) => inventoryEntry(id, e.value))
    .filter((e): e is CatalogEntry => e !== null)
    .sort((a, b) => (a.manifest_id < b.manifest_id ? -1 : a.manifest_id > b.manifest_id ? 1 : 0))
}

export const inventoryHandlers: DomainHandlers<typeof inventoryOps> = {
  async inventoryJobs({ core }) {
    const items = (await catalog(core)) ?? jobsWithFacts(core.db)
    return { items, total: items.length }
  },

  async inventoryByJob({ core }, { params }) {
    const stored = factsForJob(core.db, params.manifest_id)
    const manifest = (await catalog(core, [params.manifest_id]))?.[0]
    return {
      manifest_id: params.manifest_id,
      display: manifest ? manifest.display : stored.display,
      summary: manifest ? manifest.summary : stored.summary,
      rows: stored.rows,
    }
  },

  async inventoryForPc({ core }, { params }) {
    const items = factsForPc(core.db, params.pc_id)
    return { items, total: items.length }
  },
}
