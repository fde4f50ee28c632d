// Bodies that are not JSON (§4.11): raw KV strings and the empty kill message.

export const SCRIPT_STATUSES = ['ACTIVE', 'REVOKED'] as const
export type ScriptStatus = (typeof SCRIPT_STATUSES)[number]

const text = (body: string | Uint8Array): string => (typeof body === 'string' ? body : new TextDecoder().decode(body))

/** True for the exact raw values of KV script_status (no quotes, no whitespace). */
export function isScriptStatus(body: string | Uint8Array): boolean {
  return (SCRIPT_STATUSES as readonly string[]).includes(text(body))
}

/** The script_status value, or null when it is neither ACTIVE nor REVOKED. Agents skip
 *  only on exactly REVOKED, so anything else behaves as active. */
export function decodeScriptStatus(body: string | Uint8Array): ScriptStatus | null {
  const t = text(body)
  return isScriptStatus(t) ? (t as ScriptStatus) : null
}

/** KV script_current holds the pinned manifest version as raw UTF-8 (not JSON). */
export function decodeScriptCurrent(body: string | Uint8Array): string {
  return text(body)
}

/** Raw bytes for a script_current / script_status put. */
export function encodeRaw(value: string): Uint8Array {
  return new TextEncoder().encode(value)
}

/** True when `value` looks like a raw script_current value: non-empty, no surrounding
 *  whitespace or JSON quoting. */
export function isScriptCurrent(body: string | Uint8Array): boolean {
  const t = text(body)
  return t.length > 0 && t === t.trim() && !t.startsWith('"')
}

/** Body of a kill.<exec_id> publish: zero bytes (agents react to any message). */
export const KILL_BODY: Uint8Array = new Uint8Array(0)

export function isEmptyBody(body: string | Uint8Array): boolean {
  return body.length === 0
}
