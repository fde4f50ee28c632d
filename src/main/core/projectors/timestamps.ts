import { parseTimestamp, toCanonical } from '../../../shared/time'

// Canonical timestamp text (Q3: `YYYY-MM-DDTHH:MM:SS.mmmZ`) for the projection hot path.
// Agents send UTC with `Z` and 0–9 fractional digits; such text is canonicalized by string
// surgery (truncate or pad the fraction to 3 digits, as parseTimestamp does) instead of
// parse + Date#toISOString. Everything else (offsets, lowercase, leap second) takes the
// general path. The caller has validated the text (isWireTimestamp).

const FRACTION_PAD = ['', '00Z', '0Z'] // indexed by the number of fractional digits (1–2)

/** True when text[from, to) is all ASCII digits. */
function allDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

export function canonicalTime(text: string): string {
  const n = text.length
  if (n >= 20 && text.charCodeAt(n - 1) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(17) !== 54 /* 6 */) {
    if (n === 20) return `${text.slice(0, 19)}.000Z`
    // `.` then 1–9 digits before the `Z`
    if (n >= 22 && n <= 30 && text.charCodeAt(19) === 46 /* . */ && allDigits(text, 20, n - 1)) {
      if (n === 24) return text // already `.mmmZ`
      return n > 24 ? `${text.slice(0, 23)}Z` : text.slice(0, n - 1) + FRACTION_PAD[n - 21]
    }
  }
  return toCanonical(parseTimestamp(text)!)
}

let lastMs = NaN
let lastText = ''

/** toCanonical with a one-entry memo: a batch stamps many rows within the same millisecond. */
export function canonicalNow(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms
    lastText = toCanonical(ms)
  }
  return lastText
}
