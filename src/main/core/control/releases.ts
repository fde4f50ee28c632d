import { ApiError, badRequest, conflict, notFound } from '../../../shared/api/errors'
import type { MultipartBody } from '../../../shared/api/op'
import { KV as BUCKETS } from '../../../shared/nats-names'
import { toCanonical } from '../../../shared/time'
import { decodeConfigScope, encodeConfigScope, type ConfigScope } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { allScopes, scopeKey, type ScopeRef } from './config-scopes'
import { bucket, releaseStore } from './nats'
import { assertDuration, assertKey } from './validate'

// Agent self-update releases (backend §4.5 "Agent releases"): binaries in the agent_releases
// object store under their bare version; a rollout sets target_version on a config scope.
// kanade reads the version from the PE resource; the console takes it from a `version` form
// field or the file name (kanade-agent-0.30.2.exe), since it does not parse PE files.

export const MAX_RELEASE_BYTES = 64 * 1024 * 1024

const FILE_VERSION_RE = /(?:^|[\\/])kanade-agent[-_]v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]*?[0-9A-Za-z])?)(?:\.exe)?$/i

export function versionFromFileName(name: string): string | null {
  return FILE_VERSION_RE.exec(name.trim())?.[1] ?? null
}

export interface ReleaseRow {
  version: string
  size: number
  digest: string
  modified: string
}

export async function listReleases(core: CoreServices): Promise<ReleaseRow[]> {
  const os = await releaseStore(core)
  const rows = (await os.list())
    .filter((i) => !i.deleted)
    .map((i) => ({ version: i.name, size: i.size, digest: i.digest, modified: toCanonical(Date.parse(i.mtime)) }))
  return rows.sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : a.version < b.version ? 1 : -1))
}

export async function publishRelease(core: CoreServices, caller: Caller, body: MultipartBody): Promise<{ version: string; size: number; digest: string }> {
  if (!body.file) throw badRequest("missing multipart field 'file' (the agent binary)")
  const given = body.fields.version?.trim()
  const version = given || versionFromFileName(body.file.filename)
  if (!version) {
    throw badRequest(
      `cannot tell the version of '${body.file.filename}': add a 'version' form field, or name the file like kanade-agent-0.30.2.exe`,
    )
  }
  assertKey(version, 'version')
  if (body.file.data.byteLength === 0) throw badRequest("multipart field 'file' is empty")
  if (body.file.data.byteLength > MAX_RELEASE_BYTES) {
    throw new ApiError('payload_too_large', `the agent binary is larger than ${MAX_RELEASE_BYTES / 1024 / 1024} MB`)
  }
  const os = await releaseStore(core)
  const info = await os.putBlob({ name: version, description: body.file.filename }, body.file.data)
  publishAudit(core, caller, 'agent_publish', version, { size: info.size, digest: info.digest, filename: body.file.filename })
  return { version, size: info.size, digest: info.digest }
}

export async function deleteRelease(core: CoreServices, caller: Caller, version: string): Promise<void> {
  assertKey(version, 'version')
  const os = await releaseStore(core)
  const info = await os.info(version)
  if (!info || info.deleted) throw notFound(`release '${version}' not found`)
  const targeting = (await allScopes(core)).filter((r) => r.scope.target_version === version).map((r) => r.key)
  if (targeting.length) {
    throw conflict(
      `release '${version}' is the target_version of config scope${targeting.length > 1 ? 's' : ''} ${targeting.map((k) => `'${k}'`).join(', ')}; roll out another version first`,
    )
  }
  await os.delete(version)
  publishAudit(core, caller, 'agent_release_delete', version, {})
}

export interface RolloutRequest {
  version: string
  scope: { type: 'global' } | { type: 'group'; value: string } | { type: 'pc'; value: string }
  jitter?: string | null
}

function scopeRef(s: RolloutRequest['scope']): ScopeRef {
  return s.type === 'global' ? { type: 'global' } : { type: s.type, name: s.value }
}

function scopeLabel(s: RolloutRequest['scope']): string {
  return s.type === 'global' ? 'global' : `${s.type} ${s.value}`
}

const CAS_ATTEMPTS = 5

export async function rolloutRelease(
  core: CoreServices,
  caller: Caller,
  req: RolloutRequest,
): Promise<{ version: string; scope_key: string; scope_label: string; jitter: string | null }> {
  assertKey(req.version, 'version')
  const key = scopeKey(scopeRef(req.scope))
  const jitter = req.jitter ?? null
  if (jitter !== null) assertDuration(jitter, 'jitter')
  const info = await (await releaseStore(core)).info(req.version)
  if (!info || info.deleted) throw notFound(`release '${req.version}' has not been uploaded; publish it first`)
  const kv = await bucket(core, BUCKETS.agentConfig)
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const e = await kv.get(key)
    let scope: ConfigScope = {}
    if (e && e.operation === 'PUT') {
      try {
        scope = decodeConfigScope(JSON.parse(new TextDecoder().decode(e.value)))
      } catch {
        scope = {}
      }
    }
    const next: ConfigScope = { ...scope, target_version: req.version }
    if (jitter !== null) next.target_version_jitter = jitter
    const data = new TextEncoder().encode(encodeConfigScope(next))
    try {
      if (!e) await kv.create(key, data)
      else await kv.update(key, data, e.revision)
    } catch (err) {
      if (/wrong last sequence|key exists/i.test((err as Error).message)) continue
      throw err
    }
    publishAudit(core, caller, 'agent_rollout', req.version, { scope: key, jitter })
    return { version: req.version, scope_key: key, scope_label: scopeLabel(req.scope), jitter }
  }
  throw conflict(`config scope '${key}' kept changing while it was being updated; try again`)
}
