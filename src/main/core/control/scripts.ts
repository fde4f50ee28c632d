import { KV as BUCKETS } from '../../../shared/nats-names'
import type { ScriptStatus } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import { putRaw } from '../nats/kv'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { snapshotKv } from './kv-snapshot'
import { bucket, bucketOrNull } from './nats'
import { assertKey } from './validate'

// Layer-2 kill switch (backend §9.1): raw ACTIVE / REVOKED in KV script_status. Agents skip a
// revoked id silently (no result). Audited, unlike 0.30 (Q18).

const dec = new TextDecoder()

export async function scriptStatuses(core: CoreServices): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const kv = await bucketOrNull(core, BUCKETS.scriptStatus)
  if (!kv) return out // kanade answers {} when the bucket is missing
  for (const [key, entry] of await snapshotKv(kv)) out[key] = dec.decode(entry.value)
  return out
}

export async function setScriptStatus(core: CoreServices, caller: Caller, cmdId: string, status: ScriptStatus): Promise<void> {
  assertKey(cmdId, 'cmd_id')
  const kv = await bucket(core, BUCKETS.scriptStatus)
  await putRaw(kv, cmdId, status)
  publishAudit(core, caller, status === 'REVOKED' ? 'revoke' : 'unrevoke', cmdId, {})
  core.bus.emit('jobs.changed', { ids: [cmdId] })
}
