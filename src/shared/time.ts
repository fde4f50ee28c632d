// Timestamps: the console stores and serves one fixed-width form, RFC 3339 UTC with
// exactly three fractional digits and a `Z` (what Date#toISOString writes), so text
// order equals time order (reference Q3). Reading accepts every kanade 0.30 shape.

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|z|[+-]\d{2}:\d{2})?$/

/** Parse an RFC 3339 timestamp (any offset, 0–9 fractional digits) or SQLite's
 *  `YYYY-MM-DD HH:MM:SS` (UTC). Returns epoch milliseconds, or null if it is not one. */
export function parseTimestamp(text: string): number | null {
  const m = RFC3339.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s, frac, zone] = m
  // A `T` form must carry a zone; the space form is SQLite's UTC default.
  if (!zone && text.includes('T')) return null
  const ms = frac ? Math.floor(Number(frac.slice(1, 4).padEnd(3, '0'))) : 0
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms)
  // Date.UTC rolls 2026-13-45 over into a later date: reject fields that do not round-trip.
  const back = new Date(t)
  if (Number.isNaN(t) || back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 60) {
    return null
  }
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1
    const [zh, zm] = zone.slice(1).split(':').map(Number)
    t -= sign * (zh * 60 + zm) * 60_000
  }
  return t
}

/** Canonical storage form of an instant. */
export function toCanonical(ms: number): string {
  return new Date(ms).toISOString()
}

/** Re-render any accepted timestamp text in the canonical form; null if unparseable. */
export function canonicalize(text: string): string | null {
  const ms = parseTimestamp(text)
  return ms === null ? null : toCanonical(ms)
}

/** Emit form for wire messages (kanade writes fractional seconds only when non-zero). */
export function toWire(ms: number): string {
  const iso = new Date(ms).toISOString()
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso
}
