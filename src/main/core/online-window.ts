// The online window of CONVENTIONS "Online": an agent is online while the console's receive
// time of its last heartbeat (`last_seen_at`) is at most this long ago — 2 minutes.
//
// KANADE_ONLINE_WINDOW_SECS overrides it FOR DEVELOPMENT AND TESTS ONLY (e.g. an e2e test that
// watches a PC go offline without waiting 2 minutes). It is not a production setting: kanade
// 0.30's backend and its fleet-health rule use 2 minutes, and a console with another window
// disagrees with them about which PCs are online.

export const ONLINE_WINDOW_ENV = 'KANADE_ONLINE_WINDOW_SECS'
export const DEFAULT_ONLINE_WINDOW_MS = 120_000
const MAX_SECS = 86_400

/** The window in ms for an env value (unset/empty = the default); throws when invalid
 *  (loadConfig turns that into a ConfigError at start). */
export function parseOnlineWindow(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_ONLINE_WINDOW_MS
  const secs = Number(raw.trim())
  if (!Number.isInteger(secs) || secs < 1 || secs > MAX_SECS) {
    throw new Error(`${ONLINE_WINDOW_ENV} "${raw}" must be a whole number of seconds from 1 to ${MAX_SECS} (development/tests only)`)
  }
  return secs * 1000
}

let cached: { raw: string | undefined; ms: number } | null = null

/** The online window in ms, read from the environment (checked at start by loadConfig). An
 *  invalid value that got past the start check falls back to the default. */
export function onlineWindowMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[ONLINE_WINDOW_ENV]
  if (cached && cached.raw === raw) return cached.ms
  let ms: number
  try {
    ms = parseOnlineWindow(raw)
  } catch {
    ms = DEFAULT_ONLINE_WINDOW_MS
  }
  cached = { raw, ms }
  return ms
}

/** Online at `nowMs` for a receive time `seenMs`: seen within the window, inclusive. */
export function isOnlineAt(seenMs: number, nowMs: number, windowMs = onlineWindowMs()): boolean {
  return nowMs - seenMs <= windowMs
}
