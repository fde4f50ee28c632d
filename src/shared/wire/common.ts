// Building blocks shared by every kanade 0.30 wire type (kanade-protocol.md §1, §4.10).
import { z } from 'zod'
import { parseTimestamp } from '../time'

// ---------------------------------------------------------------------------
// Timestamps (§1.3)

// Stricter than parseTimestamp: a wire timestamp needs the `T` and a zone. Any 1–9
// fractional digits are accepted because chrono's parser accepts them all.
const WIRE_TS = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** The general check: every accepted shape (offsets, lowercase `t`/`z`). */
function isWireTimestampGeneral(text: string): boolean {
  const m = WIRE_TS.exec(text)
  if (!m) return false
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number)
  // Date.UTC silently rolls over out-of-range parts, so check them here.
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return false
  if (h > 23 || mi > 59 || s > 60) return false // 60 = leap second, as chrono allows
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false
  return parseTimestamp(text) !== null
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The two ASCII digits at `i`, `i + 1` as a number; -1 when either is not a digit. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48
  const b = text.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/** Verdict for what agents send, `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`, in one pass without regex
 *  or Date; null when `text` has another shape, which the general check then decides.
 *  Gives exactly the general check's answer (test/unit/wire/timestamp-fast.test.ts). */
function agentFormVerdict(text: string): boolean | null {
  const n = text.length
  if (n < 20 || n === 21 || n > 30 || text.charCodeAt(n - 1) !== 90 /* Z */) return null
  if (
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58
  ) {
    return null
  }
  if (n > 20) {
    if (text.charCodeAt(19) !== 46 /* . */) return null
    for (let i = 20; i < n - 1; i++) {
      const c = text.charCodeAt(i)
      if (c < 48 || c > 57) return null
    }
  }
  const century = twoDigits(text, 0)
  const yy = twoDigits(text, 2)
  const mo = twoDigits(text, 5)
  const d = twoDigits(text, 8)
  const h = twoDigits(text, 11)
  const mi = twoDigits(text, 14)
  const s = twoDigits(text, 17)
  if ((century | yy | mo | d | h | mi | s) < 0) return null
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false
  const y = century * 100 + yy
  // Year 0000 counts as common: the general check's Date.UTC reads years 0–99 as 1900–1999.
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) && y !== 0
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo])) return false
  // The general check rolls 23:59:60 into the next day, which its round-trip rejects.
  return !(s === 60 && h === 23 && mi === 59)
}

/** True when `text` is an RFC 3339 timestamp kanade 0.30 would accept. */
export function isWireTimestamp(text: string): boolean {
  return agentFormVerdict(text) ?? isWireTimestampGeneral(text)
}

/** A wire timestamp, validated but kept as the original text (projectors canonicalize). */
export const TimestampSchema = z.string().refine(isWireTimestamp, {
  message: 'expected an RFC 3339 timestamp with a zone (e.g. 2026-05-20T12:00:00Z)',
})

// ---------------------------------------------------------------------------
// Durations (§1.4): humantime strings

const NS_PER_UNIT: Record<string, bigint> = {}
function unit(ns: bigint, ...names: string[]): void {
  for (const n of names) NS_PER_UNIT[n] = ns
}
const SEC = 1_000_000_000n
unit(1n, 'nsec', 'ns')
unit(1_000n, 'usec', 'us')
unit(1_000_000n, 'msec', 'ms')
unit(SEC, 'seconds', 'second', 'sec', 's')
unit(60n * SEC, 'minutes', 'minute', 'min', 'm')
unit(3_600n * SEC, 'hours', 'hour', 'hr', 'h')
unit(86_400n * SEC, 'days', 'day', 'd')
unit(604_800n * SEC, 'weeks', 'week', 'w')
unit(2_630_016n * SEC, 'months', 'month', 'M') // 30.44 days
unit(31_557_600n * SEC, 'years', 'year', 'y') // 365.25 days

const U64_MAX = (1n << 64n) - 1n
const isSpace = (c: string) => /\s/.test(c)
const isDigit = (c: string) => c >= '0' && c <= '9'
const isLetter = (c: string) => /[A-Za-z]/.test(c)

/** Total nanoseconds of a humantime string; throws an Error describing the problem.
 *  Mirrors humantime's scanner: whitespace may separate spans and number from unit. */
function humantimeNanos(text: string): bigint {
  let i = 0
  let total = 0n
  let spans = 0
  const chars = [...text]
  while (true) {
    while (i < chars.length && isSpace(chars[i])) i++
    if (i >= chars.length) break
    if (!isDigit(chars[i])) throw new Error(`invalid duration "${text}": expected a number at offset ${i}`)
    let n = 0n
    while (i < chars.length && (isDigit(chars[i]) || isSpace(chars[i]))) {
      if (isDigit(chars[i])) {
        n = n * 10n + BigInt(chars[i].charCodeAt(0) - 48)
        if (n > U64_MAX) throw new Error(`invalid duration "${text}": number too large`)
      }
      i++
    }
    const start = i
    while (i < chars.length && isLetter(chars[i])) i++
    if (i < chars.length && !isDigit(chars[i]) && !isSpace(chars[i])) {
      throw new Error(`invalid duration "${text}": invalid character "${chars[i]}" at offset ${i}`)
    }
    const name = chars.slice(start, i).join('')
    if (name === '') throw new Error(`invalid duration "${text}": missing unit after ${n}`)
    const ns = NS_PER_UNIT[name]
    if (ns === undefined) throw new Error(`invalid duration "${text}": unknown unit "${name}"`)
    total += n * ns
    if (total / SEC > U64_MAX) throw new Error(`invalid duration "${text}": too large`)
    spans++
  }
  if (spans === 0) throw new Error('invalid duration: empty string')
  return total
}

/** Parse a humantime duration (`"30s"`, `"1h 30m"`, `"1d"`) into milliseconds (fractional
 *  below 1 ms). Throws an Error naming the problem. */
export function parseHumantime(text: string): number {
  return Number(humantimeNanos(text)) / 1e6
}

/** Whole seconds of a humantime duration, sub-second part truncated (how kanade lowers
 *  `timeout` / `jitter` into `timeout_secs` / `jitter_secs`). Throws like parseHumantime. */
export function humantimeSecs(text: string): number {
  return Number(humantimeNanos(text) / SEC)
}

/** True when `text` parses as a humantime duration. */
export function isHumantime(text: string): boolean {
  try {
    humantimeNanos(text)
    return true
  } catch {
    return false
  }
}

/** Render milliseconds in the one form every humantime release reads: `<int><s|m|h|d>`,
 *  the largest unit that divides evenly. Sub-second parts are truncated. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot format duration ${ms}`)
  const secs = Math.floor(ms / 1000)
  if (secs === 0) return '0s'
  if (secs % 86_400 === 0) return `${secs / 86_400}d`
  if (secs % 3_600 === 0) return `${secs / 3_600}h`
  if (secs % 60 === 0) return `${secs / 60}m`
  return `${secs}s`
}

// ---------------------------------------------------------------------------
// Enums (§1.2). Only the 0.30 values: later values would break 0.30 agents.

export const ShellSchema = z.enum(['powershell', 'cmd'])
export type Shell = z.infer<typeof ShellSchema>

export const RunAsSchema = z.enum(['system', 'user', 'system_gui'])
export type RunAs = z.infer<typeof RunAsSchema>

export const ExecModeSchema = z.enum(['every_tick', 'once_per_pc', 'once_per_target'])
export type ExecMode = z.infer<typeof ExecModeSchema>

export const RunsOnSchema = z.enum(['backend', 'agent'])
export type RunsOn = z.infer<typeof RunsOnSchema>

export const RolloutStrategySchema = z.enum(['wave'])
export type RolloutStrategy = z.infer<typeof RolloutStrategySchema>

// Staleness (§4.10): internally tagged on `mode`. max_cache_age stays a free string
// because the agent treats a malformed value as 0s rather than rejecting the Command.
export type Staleness =
  | { mode: 'cached' }
  | { mode: 'unchecked' }
  | { mode: 'strict'; max_cache_age: string }

export const StalenessSchema: z.ZodType<Staleness> = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('cached') }),
    z.object({ mode: z.literal('unchecked') }),
    z.object({ mode: z.literal('strict'), max_cache_age: z.string() }),
  ])
  .transform((s): Staleness => (s.mode === 'strict' ? { mode: 'strict', max_cache_age: s.max_cache_age } : { mode: s.mode }))

export const DEFAULT_STALENESS: Staleness = { mode: 'cached' }

/** Staleness in encoder order (`mode` first). */
export function stalenessJson(s: Staleness): Staleness {
  return s.mode === 'strict' ? { mode: 'strict', max_cache_age: s.max_cache_age } : { mode: s.mode }
}

// ---------------------------------------------------------------------------
// Integers (§1.2)

export const U32 = z.int().min(0).max(0xffff_ffff)
/** u64 restricted to what a JS number holds exactly. */
export const U64 = z.int().min(0)
export const I32 = z.int().min(-0x8000_0000).max(0x7fff_ffff)

// ---------------------------------------------------------------------------
// Byte-wise string order (Rust's `str` Ord): UTF-8 byte order equals code point
// order, which differs from JS's UTF-16 order for astral characters.

export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  while (true) {
    const ca = ia.next()
    const cb = ib.next()
    if (ca.done) return cb.done ? 0 : -1
    if (cb.done) return 1
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!
    if (d !== 0) return d < 0 ? -1 : 1
  }
}

/** Sorted byte-wise and de-duplicated (a new array). */
export function sortUniqueBytewise(items: readonly string[]): string[] {
  const out = [...new Set(items)].sort(compareBytewise)
  return out
}
