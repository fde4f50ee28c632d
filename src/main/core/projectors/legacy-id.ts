// Row key of a result from an agent older than v0.29 (empty result_id): a UUIDv5
// derived as kanade's ExecResult::stable_result_id does (kanade-protocol.md §4.2).
import { createHash } from 'node:crypto'

/** RFC 4122 NAMESPACE_OID. */
export const LEGACY_RESULT_NAMESPACE = '6ba7b812-9dad-11d1-80b4-00c04fd430c8'
/** Must never change: it keeps redeliveries of one legacy payload on one key. */
export const LEGACY_RESULT_NAME_PREFIX = 'kanade-issue-19/legacy-result-id:'

const NAMESPACE_BYTES = Buffer.from(LEGACY_RESULT_NAMESPACE.replace(/-/g, ''), 'hex')

/** UUIDv5 (SHA-1, RFC 4122 §4.3) of `name` (UTF-8) in `namespace` (16 bytes). */
export function uuidV5(namespace: Uint8Array, name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest()
  const b = hash.subarray(0, 16)
  b[6] = (b[6] & 0x0f) | 0x50 // version 5
  b[8] = (b[8] & 0x3f) | 0x80 // RFC 4122 variant
  const hex = b.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The deterministic result id kanade derives for (request_id, pc_id). */
export function legacyResultId(requestId: string, pcId: string): string {
  return uuidV5(NAMESPACE_BYTES, `${LEGACY_RESULT_NAME_PREFIX}${requestId}:${pcId}`)
}

/** Primary key of an execution_results row: the agent's result_id, or the legacy
 *  UUIDv5 when it is empty. */
export function resultRowKey(result: { result_id: string; request_id: string; pc_id: string }): string {
  return result.result_id !== '' ? result.result_id : legacyResultId(result.request_id, result.pc_id)
}
