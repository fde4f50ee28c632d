import { parseTimestamp, toCanonical } from '../../../shared/time'

// Canonical timestamp text (Q3: `YYYY-MM-DDTHH:MM:SS.mmmZ`) for the projection hot path.
// Agents send UTC with `Z` and 0–9 fractional digits; such text is canonicalized by string
// surgery (truncate or pad the fraction to 3 digits, as parseTimestamp does) instead of
// parse + Date#toISOString. Everything else (offsets, lowercase, leap second) takes the
// general path. The caller has validated the text (isWireTimestamp).

const DIGITS = /^\d{1,9}$/

export function canonicalTime(text: string): string {
  if (text.length >= 20 && text.charCodeAt(text.length - 1) === 90 /* Z */ && text[10] === 'T' && text[17] !== '6') {
    if (text.length === 20) return `${text.slice(0, 19)}.000Z`
    if (text[19] === '.') {
      const frac = text.slice(20, -1)
      if (DIGITS.test(frac)) return `${text.slice(0, 19)}.${frac.length >= 3 ? frac.slice(0, 3) : frac.padEnd(3, '0')}Z`
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
