import { ApiError, badRequest, conflict, notFound } from '../../../shared/api/errors'
import { KV as BUCKETS } from '../../../shared/nats-names'
import { decodeManifest, encodeManifest, WireDecodeError, type Manifest } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import { readCatalog, readCatalogKey } from '../kv-mirror/source'
import { getRaw, putRaw } from '../nats/kv'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { snapshotKv } from './kv-snapshot'
import { bucket } from './nats'
import { assertDuration, assertKey } from './validate'

// Job catalog in KV `jobs` (backend §4.5 "Jobs", §9.3): only 0.30 Manifest keys are ever
// written; every write also pins script_current[id] to the catalog version, and a delete
// revokes first so Commands retained in EXEC are skipped by agents.

const dec = new TextDecoder()

/** A stored manifest. Strict first; a value written by a later kanade (extra keys) is read
 *  with those keys dropped, so the catalog still lists it. */
export function readStoredManifest(text: string): Manifest {
  const raw = JSON.parse(text)
  try {
    return decodeManifest(raw)
  } catch {
    return JSON.parse(encodeManifest(raw)) as Manifest
  }
}

function manifestOf(id: string, text: string): Manifest {
  try {
    return readStoredManifest(text)
  } catch (e) {
    throw new ApiError('internal', `job '${id}' in KV jobs is not a valid 0.30 manifest: ${(e as Error).message}`)
  }
}

/** The manifest in KV (the control plane's read: always the broker). */
export async function getManifest(core: CoreServices, id: string): Promise<Manifest | null> {
  const raw = await getRaw(await bucket(core, BUCKETS.jobs), id)
  return raw ? manifestOf(id, raw.value) : null
}

/** The manifest for the read route: KV, or the KV mirror without a broker (offline review). */
export async function readManifest(core: CoreServices, id: string): Promise<Manifest | null> {
  const raw = await readCatalogKey(core, BUCKETS.jobs, id)
  return raw ? manifestOf(id, raw.value) : null
}

/** The catalog for the read route (KV, or the KV mirror without a broker). */
export async function listManifests(core: CoreServices): Promise<Manifest[]> {
  const out: Manifest[] = []
  for (const [key, entry] of await readCatalog(core, BUCKETS.jobs, { missing: 'unavailable' })) {
    try {
      out.push(readStoredManifest(entry.value))
    } catch (e) {
      core.log.warn(`KV jobs[${key}] is not a 0.30 manifest; not listed`, e)
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Decode and check a manifest body: 400 naming the key or field at fault. */
export function validateManifest(body: unknown): Manifest {
  let m: Manifest
  try {
    m = decodeManifest(body)
  } catch (e) {
    if (e instanceof WireDecodeError) throw badRequest(e.message)
    throw e
  }
  assertKey(m.id, 'id')
  if (!m.version.trim() || m.version !== m.version.trim()) {
    throw badRequest(`invalid version ${JSON.stringify(m.version)}: must be non-empty without surrounding spaces`)
  }
  assertDuration(m.execute.timeout, 'execute.timeout', 'invalid execute.timeout')
  if (m.staleness.mode === 'strict') {
    assertDuration(m.staleness.max_cache_age, 'staleness.max_cache_age')
  }
  return m
}

export interface JobUpsertResult {
  id: string
  version: string
  description: string | null
  inventory: boolean
}

export async function upsertManifest(core: CoreServices, caller: Caller, body: unknown): Promise<JobUpsertResult> {
  const m = validateManifest(body)
  const jobs = await bucket(core, BUCKETS.jobs)
  const pins = await bucket(core, BUCKETS.scriptCurrent)
  await putRaw(jobs, m.id, encodeManifest(m))
  try {
    // §9.3 rule 1: agent-side schedules of a bumped job would otherwise be skipped silently.
    await putRaw(pins, m.id, m.version)
  } catch (e) {
    throw new ApiError('bad_gateway', `job '${m.id}' was saved but pinning script_current failed: ${(e as Error).message}; save it again`)
  }
  publishAudit(core, caller, 'job_upsert', m.id, { version: m.version, inventory: m.inventory !== null })
  core.bus.emit('jobs.changed', { ids: [m.id] })
  return { id: m.id, version: m.version, description: m.description, inventory: m.inventory !== null }
}

/** The first schedule that names the job, or null. */
export async function scheduleReferencing(core: CoreServices, jobId: string): Promise<string | null> {
  const kv = await bucket(core, BUCKETS.schedules)
  for (const [key, entry] of await snapshotKv(kv)) {
    try {
      const s = JSON.parse(dec.decode(entry.value)) as { id?: unknown; job_id?: unknown }
      if (s.job_id === jobId) return typeof s.id === 'string' ? s.id : key
    } catch {
      // an undecodable schedule cannot fire anything
    }
  }
  return null
}

export async function deleteManifest(core: CoreServices, caller: Caller, id: string): Promise<void> {
  const sid = await scheduleReferencing(core, id)
  if (sid !== null) throw conflict(`job '${id}' is referenced by schedule '${sid}'; remove the schedule first`)
  const status = await bucket(core, BUCKETS.scriptStatus)
  const jobs = await bucket(core, BUCKETS.jobs)
  if (!(await getRaw(jobs, id))) throw notFound(`job '${id}' not found in catalog`)
  await putRaw(status, id, 'REVOKED')
  try {
    await jobs.delete(id)
  } catch (e) {
    publishAudit(core, caller, 'job_delete_failed_post_revoke', id, { error: (e as Error).message })
    throw new ApiError(
      'internal',
      `job '${id}' was revoked but deleting it failed: ${(e as Error).message}; retry the delete, or undo with unrevoke`,
    )
  }
  publishAudit(core, caller, 'job_delete', id, { cascade_revoke: true })
  core.bus.emit('jobs.changed', { ids: [id] })
}
