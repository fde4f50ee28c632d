import { ApiError, badRequest, conflict, notFound } from '../../../shared/api/errors'
import { KV as BUCKETS } from '../../../shared/nats-names'
import {
  decodeSchedule,
  encodeSchedule,
  isTargetSpecified,
  TARGET_REQUIRED_MESSAGE,
  WireDecodeError,
  type Schedule,
} from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import { readCatalog, readCatalogKey } from '../kv-mirror/source'
import { getRaw, putRaw } from '../nats/kv'
import { validateCron } from '../scheduler/cron'
import { consoleExtrasProblem, consoleKeysOf } from '../scheduler/spec'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { getManifest } from './jobs'
import { bucket } from './nats'
import { assertDuration, assertKey, assertToken } from './validate'

// Schedules CRUD in KV `schedules` (backend §4.5 "Schedules"). Unlike 0.30, writes are checked
// (Q9): the cron parses (6 fields, optional year), the job exists, durations parse. Enabling and
// disabling are compare-and-set updates of the stored JSON, other keys left as they are.

/** Every schedule for the read route (KV, or the KV mirror without a broker); kanade answers
 *  [] when the bucket is missing. */
export async function listSchedules(core: CoreServices): Promise<Schedule[]> {
  const out: Schedule[] = []
  for (const [key, entry] of await readCatalog(core, BUCKETS.schedules, { missing: 'empty' })) {
    try {
      const obj: unknown = JSON.parse(entry.value)
      out.push({ ...decodeSchedule(obj), ...consoleKeysOf(obj) }) // + the scheduler's tz / misfire keys
    } catch (e) {
      core.log.warn(`KV schedules[${key}] is not a 0.30 schedule; not listed`, e)
    }
  }
  return out
}

export async function getSchedule(core: CoreServices, id: string): Promise<Schedule> {
  assertKey(id, 'id')
  const raw = await readCatalogKey(core, BUCKETS.schedules, id)
  if (!raw) throw notFound(`schedule '${id}' not found`)
  try {
    const obj: unknown = JSON.parse(raw.value)
    return { ...decodeSchedule(obj), ...consoleKeysOf(obj) }
  } catch (e) {
    throw new ApiError('internal', `schedule '${id}' in KV is not a valid 0.30 schedule: ${(e as Error).message}`)
  }
}

/** Decode and check a schedule body; 400 naming the field at fault. */
export async function validateSchedule(core: CoreServices, body: unknown): Promise<Schedule> {
  let s: Schedule
  try {
    s = decodeSchedule(body)
  } catch (e) {
    if (e instanceof WireDecodeError) throw badRequest(e.message)
    throw e
  }
  assertKey(s.id, 'id')
  assertKey(s.job_id, 'job_id')
  // The scheduler's keys beyond 0.30 (tz, misfire, misfire_grace: scheduler/spec.ts).
  const extras = consoleExtrasProblem(body as Record<string, unknown>)
  if (extras) throw badRequest(extras)
  const cron = validateCron(s.cron, consoleKeysOf(body).tz)
  if (!cron.ok) throw badRequest(`invalid cron: ${cron.reason}`)
  const waves = s.rollout?.waves ?? []
  if (!isTargetSpecified(s.target) && waves.length === 0) throw badRequest(TARGET_REQUIRED_MESSAGE)
  s.target.groups.forEach((g, i) => assertToken(g, `target.groups[${i}]`, 'group name'))
  s.target.pcs.forEach((p, i) => assertToken(p, `target.pcs[${i}]`, 'pc id'))
  waves.forEach((w, i) => {
    assertToken(w.group, `rollout.waves[${i}].group`, 'group name')
    assertDuration(w.delay, `rollout.waves[${i}].delay`)
  })
  if (s.jitter !== undefined) assertDuration(s.jitter, 'jitter')
  if (s.cooldown !== undefined) assertDuration(s.cooldown, 'cooldown')
  if (s.starting_deadline !== undefined) assertDuration(s.starting_deadline, 'starting_deadline')
  if (!(await getManifest(core, s.job_id))) {
    throw badRequest(`invalid job_id: job '${s.job_id}' not found in catalog; create the job first`)
  }
  return s
}

export async function upsertSchedule(
  core: CoreServices,
  caller: Caller,
  body: unknown,
): Promise<{ id: string; cron: string; enabled: boolean; job_id: string }> {
  const s = await validateSchedule(core, body)
  const kv = await bucket(core, BUCKETS.schedules)
  const before = await getRaw(kv, s.id)
  const json = JSON.stringify({ ...(JSON.parse(encodeSchedule(s)) as object), ...consoleKeysOf(body) })
  await putRaw(kv, s.id, json)
  publishAudit(core, caller, 'schedule_upsert', s.id, {
    job_id: s.job_id,
    cron: s.cron,
    enabled: s.enabled,
    mode: s.mode,
    runs_on: s.runs_on,
    created: before === null,
    changed: changedKeys(before?.value ?? null, json),
  })
  core.bus.emit('schedules.changed', { ids: [s.id] })
  return { id: s.id, cron: s.cron, enabled: s.enabled, job_id: s.job_id }
}

function changedKeys(beforeJson: string | null, afterJson: string): string[] {
  const after = JSON.parse(afterJson) as Record<string, unknown>
  let before: Record<string, unknown> = {}
  try {
    if (beforeJson) before = JSON.parse(beforeJson) as Record<string, unknown>
  } catch {
    // an undecodable old value: everything changed
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}

export async function deleteSchedule(core: CoreServices, caller: Caller, id: string): Promise<void> {
  assertKey(id, 'id')
  const kv = await bucket(core, BUCKETS.schedules)
  const raw = await getRaw(kv, id)
  if (!raw) throw notFound(`schedule '${id}' not found`)
  await kv.delete(id)
  let jobId: unknown = null
  try {
    jobId = (JSON.parse(raw.value) as { job_id?: unknown }).job_id ?? null
  } catch {
    // keep null
  }
  publishAudit(core, caller, 'schedule_delete', id, { job_id: typeof jobId === 'string' ? jobId : null })
  core.bus.emit('schedules.changed', { ids: [id] })
}

const CAS_ATTEMPTS = 5

/** Set `enabled` with compare-and-set on the entry's revision; retried when another writer
 *  got there first. Returns the schedule's job_id and whether it was enabled before. */
async function casEnabled(core: CoreServices, id: string, enabled: boolean): Promise<{ jobId: string; wasEnabled: boolean }> {
  const kv = await bucket(core, BUCKETS.schedules)
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const raw = await getRaw(kv, id)
    if (!raw) throw notFound(`schedule '${id}' not found`)
    let value: Record<string, unknown>
    try {
      value = JSON.parse(raw.value) as Record<string, unknown>
    } catch (e) {
      throw new ApiError('internal', `schedule '${id}' in KV is not JSON: ${(e as Error).message}`)
    }
    const jobId = typeof value.job_id === 'string' ? value.job_id : ''
    const wasEnabled = value.enabled !== false
    if (wasEnabled === enabled) return { jobId, wasEnabled }
    value.enabled = enabled
    try {
      await kv.update(id, new TextEncoder().encode(JSON.stringify(value)), raw.revision)
      return { jobId, wasEnabled }
    } catch (e) {
      if (!/wrong last sequence/i.test((e as Error).message)) throw e
    }
  }
  throw conflict(`schedule '${id}' kept changing while it was being updated; try again`)
}

export async function disableSchedule(core: CoreServices, caller: Caller, id: string, cascade: boolean): Promise<void> {
  assertKey(id, 'id')
  const status = cascade ? await bucket(core, BUCKETS.scriptStatus) : null
  const { jobId, wasEnabled } = await casEnabled(core, id, false)
  if (status && jobId) await putRaw(status, jobId, 'REVOKED')
  publishAudit(core, caller, 'schedule_disable', id, { cascade, job_id: jobId, was_enabled: wasEnabled })
  core.bus.emit('schedules.changed', { ids: [id] })
}

export async function enableSchedule(core: CoreServices, caller: Caller, id: string): Promise<void> {
  assertKey(id, 'id')
  const current = await getSchedule(core, id)
  if (!(await getManifest(core, current.job_id))) {
    throw conflict(`schedule '${id}' names job '${current.job_id}', which is not in the catalog; create the job first`)
  }
  const { jobId, wasEnabled } = await casEnabled(core, id, true)
  publishAudit(core, caller, 'schedule_enable', id, { job_id: jobId, was_enabled: wasEnabled })
  core.bus.emit('schedules.changed', { ids: [id] })
}
