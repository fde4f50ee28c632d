import { KV as BUCKETS } from '../../../shared/nats-names'
import type { ScriptStatus } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import { readCatalog } from '../kv-mirror/source'
import { putRaw } from '../nats/kv'
import type { CoreServices } from '../services'
import { publishAudit } from './audit'
import { bucket } from './nats'
import { assertKey } from './validate'

// Layer-2 kill switch (backend §9.1): raw ACTIVE / REVOKED in KV script_status. Agents skip a
// revoked id silently (no result). Audited, unlike 0.30 (Q18).

/** For the read route (KV, or the KV mirror without a broker); kanade answers {} when the
 *  bucket is missing. */
export async function scriptStatuses(core: CoreServices): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [key, entry] of await readCatalog(core, BUCKETS.scriptStatus, { missing: 'empty' })) out[key] = entry.value
  return out
}

export async function setScriptStatus(core: CoreServices, caller: Caller, cmdId: string, status: ScriptStatus): Promise<void> {
  assertKey(cmdId, 'cmd_id')
  const kv = await bucket(core, BUCKETS.scriptStatus)
  await putRaw(kv, cmdId, status)
  publishAudit(core, caller, status === 'REVOKED' ? 'revoke' : 'unrevoke', cmdId, {})
  core.bus.emit('jobs.changed', { ids: [cmdId] })
}
