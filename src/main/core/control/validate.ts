import { badRequest } from '../../../shared/api/errors'
import { isValidToken } from '../../../shared/nats-names'
import { isHumantime, parseHumantime } from '../../../shared/wire'

// Input checks shared by the control handlers. Every message names the field, so a caller
// knows what to fix (CONVENTIONS "errors").

const KV_KEY_RE = /^[-/_=.a-zA-Z0-9]+$/

/** pc ids and group names become subject tokens and KV key suffixes. */
export function assertToken(value: string, field: string, what = 'name'): void {
  if (!isValidToken(value)) {
    throw badRequest(
      `invalid ${field} ${JSON.stringify(value)}: a ${what} must be non-empty and use only letters, digits, '-', '_', '=' and '/' (no '.', '*', '>' or spaces)`,
    )
  }
}

/** Manifest ids, schedule ids, versions: KV keys / object names. */
export function assertKey(value: string, field: string): void {
  if (!KV_KEY_RE.test(value) || value.startsWith('.') || value.endsWith('.')) {
    throw badRequest(
      `invalid ${field} ${JSON.stringify(value)}: use only letters, digits and '-', '_', '=', '/', '.' (not at either end)`,
    )
  }
}

/** A humantime duration ("30s", "1h 30m"); `prefix` is kanade's wording (e.g. "invalid jitter"). */
export function assertDuration(value: string, field: string, prefix = `invalid ${field}`): number {
  try {
    return parseHumantime(value)
  } catch (e) {
    throw badRequest(`${prefix}: ${(e as Error).message}`)
  }
}

export function isDuration(value: string): boolean {
  return isHumantime(value)
}
