// kanade cron helpers (backend reference §6.2, protocol §5.3): 6 fields
// `sec min hour dom month dow` plus an optional 7th year field, evaluated in UTC unless the
// console's optional IANA time zone is given. Built on cron-parser 5.
//
// Tick semantics ("canonical sequence") are what cron-parser yields when iterating forward
// from before a DST change, which behaves like Vixie cron:
//  * fall-back: when the hour field does not cover all 24 hours, a tick in the repeated
//    hour (02:30) fires once, in the first pass; an every-hour field fires in both passes
//    (they are different real hours);
//  * spring-forward: a tick in the skipped hour (02:30 in Berlin) fires in the landing hour
//    (03:30 CEST).
// cron-parser keeps that DST state while stepping, so started inside the repeated hour its
// `next()` returns the second-pass 02:30 (a double fire), started just after a gap it drops
// the shifted tick, and `prev()` does both. So queries here start iterating before a
// nearby offset change, and previous ticks are confirmed by forward iteration.

import { CronExpressionParser } from 'cron-parser'

export type CronCheck = { ok: true } | { ok: false; reason: string }

/** What node-schedule 2.1.1 takes as `scheduleJob(spec, fn)` (it parses `rule` with
 *  cron-parser 4, which understands 6 fields with seconds and `tz`). */
export interface NodeScheduleRule {
  rule: string
  tz: string
}

interface ParsedCron {
  /** The six fields cron-parser understands, normalized to single spaces. */
  fields: string
  /** Sorted allowed years from the 7th field; null = any year. */
  years: number[] | null
  tz: string
  /** An hour field covering all 24 hours has no DST state in cron-parser. */
  everyHour: boolean
}

const YEAR_MIN = 1970
const YEAR_MAX = 2099
/** cron-parser's DST state only matters within the shifted span after a change, at most
 *  2 h in tzdata (Antarctica/Troll); starting this far back always precedes it. */
const DST_WINDOW_MS = 2 * 3_600_000
/** Each backward step skips a whole DST window of non-canonical candidates; a few suffice. */
const MAX_PREV_ATTEMPTS = 8

export function validateCron(expr: string, tz?: string | null): CronCheck {
  const r = parseCron(expr, tz)
  return r.ok ? { ok: true } : { ok: false, reason: r.reason }
}

/** The next `count` ticks strictly after `fromMs` (epoch ms, ascending, no duplicates).
 *  Throws on an invalid expression or zone (validate first). */
export function nextFires(expr: string, fromMs: number, count: number, tz?: string | null): number[] {
  const p = mustParse(expr, tz)
  const out: number[] = []
  if (count <= 0) return out
  for (const ms of ticksAfter(p, fromMs)) {
    out.push(ms)
    if (out.length >= count) break
  }
  return out
}

/** The latest tick ≤ `beforeOrAtMs`, or null if there is none. */
export function previousFire(expr: string, beforeOrAtMs: number, tz?: string | null): number | null {
  return previousTick(mustParse(expr, tz), beforeOrAtMs)
}

/** True if `ms` is exactly one of the expression's ticks. node-schedule cannot express the
 *  year field or the single fall-back fire when a job is registered inside the repeated
 *  hour, so a tick handler should check this before dispatching. */
export function isTick(expr: string, ms: number, tz?: string | null): boolean {
  return previousTick(mustParse(expr, tz), ms) === ms
}

/** The node-schedule spec for a valid expression: the year field is dropped (see isTick).
 *  Throws on an invalid expression or zone. */
export function toNodeScheduleRule(expr: string, tz?: string | null): NodeScheduleRule {
  const p = mustParse(expr, tz)
  return { rule: p.fields, tz: p.tz }
}

/** Ticks strictly after `fromMs`, up to and including `toMs`, stopping after `limit`. Used
 *  by catch-up to count missed ticks; `capped` says more may exist. */
export function ticksBetween(
  expr: string,
  fromMs: number,
  toMs: number,
  limit: number,
  tz?: string | null,
): { ticks: number[]; capped: boolean } {
  const p = mustParse(expr, tz)
  const ticks: number[] = []
  for (const ms of ticksAfter(p, fromMs)) {
    if (ms > toMs) return { ticks, capped: false }
    if (ticks.length >= limit) return { ticks, capped: true }
    ticks.push(ms)
  }
  return { ticks, capped: false }
}

// ---------------------------------------------------------------------------------------

type ParseResult = { ok: true; value: ParsedCron } | { ok: false; reason: string }

// Validation costs a few hundred µs (cron-parser plus a trial next()), and the scheduler
// asks about the same few schedules over and over.
const parseCache = new Map<string, ParseResult>()
const PARSE_CACHE_MAX = 500

function mustParse(expr: string, tz: string | null | undefined): ParsedCron {
  const r = parseCron(expr, tz)
  if (!r.ok) throw new Error(`invalid cron '${expr}': ${r.reason}`)
  return r.value
}

function parseCron(expr: string, tz: string | null | undefined): ParseResult {
  const key = JSON.stringify([tz ?? null, expr]) // '' (invalid) must not share undefined's entry
  let r = parseCache.get(key)
  if (!r) {
    r = parseCronUncached(expr, tz)
    if (parseCache.size >= PARSE_CACHE_MAX) parseCache.delete(parseCache.keys().next().value!)
    parseCache.set(key, r)
  }
  return r
}

function parseCronUncached(expr: string, tzIn: string | null | undefined): ParseResult {
  const tz = tzIn ?? 'UTC'
  const tzProblem = checkTimeZone(tz)
  if (tzProblem) return { ok: false, reason: tzProblem }
  if (typeof expr !== 'string' || expr.trim() === '') {
    return { ok: false, reason: 'cron expression is empty; kanade needs 6 fields: sec min hour dom month dow' }
  }
  const parts = expr.trim().split(/\s+/)
  if (parts.length === 5) {
    return {
      ok: false,
      reason:
        `'${expr.trim()}' has 5 fields; kanade cron needs 6 fields with seconds first ` +
        `(sec min hour dom month dow), e.g. '0 ${parts.join(' ')}'`,
    }
  }
  if (parts.length !== 6 && parts.length !== 7) {
    return {
      ok: false,
      reason: `cron has ${parts.length} field(s); kanade needs 6 (sec min hour dom month dow) plus an optional 7th year field`,
    }
  }
  // cron-parser's `H` picks a random value: not kanade syntax, and node-schedule rejects it.
  // No month or weekday name starts with H, so a list item starting with it is a hash.
  if (parts.slice(0, 6).some((f) => f.split(',').some((item) => /^h/i.test(item)))) {
    return { ok: false, reason: "the 'H' (hash) character is not supported in kanade cron" }
  }
  let years: number[] | null = null
  if (parts.length === 7) {
    const y = parseYearField(parts[6])
    if (!y.ok) return { ok: false, reason: y.reason }
    years = y.years
    if (years !== null && years.length === 0) return { ok: false, reason: `year field '${parts[6]}' matches no year` }
  }
  const fields = parts.slice(0, 6).join(' ')
  let everyHour: boolean
  try {
    const it = CronExpressionParser.parse(fields, { tz, currentDate: 0 })
    everyHour = it.fields.hour.values.length === 24
    // cron-parser accepts an unusable zone at parse time and fails on the first next().
    it.next()
  } catch (err) {
    return { ok: false, reason: `invalid cron '${fields}': ${(err as Error).message}` }
  }
  return { ok: true, value: { fields, years, tz, everyHour } }
}

function checkTimeZone(tz: string): string | null {
  if (typeof tz !== 'string' || tz.trim() === '') return 'time zone is empty; use an IANA name such as UTC or Europe/Berlin'
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
  } catch {
    return `unknown time zone '${tz}'; use an IANA name such as UTC or Europe/Berlin`
  }
  return null
}

/** 7th field: `*`/`?`, a year, `a-b`, and `/step` on any of those, comma-separated. */
function parseYearField(field: string): { ok: true; years: number[] | null } | { ok: false; reason: string } {
  if (field === '*' || field === '?') return { ok: true, years: null }
  const bad = (why: string) => ({ ok: false as const, reason: `invalid year field '${field}': ${why}` })
  const set = new Set<number>()
  for (const item of field.split(',')) {
    const m = /^(\*|\?|\d{4}(?:-\d{4})?)(?:\/(\d+))?$/.exec(item)
    if (!m) return bad(`'${item}' is not a year, range or step`)
    let lo = YEAR_MIN
    let hi = YEAR_MAX
    if (m[1] !== '*' && m[1] !== '?') {
      const [a, b] = m[1].split('-').map(Number)
      lo = a
      hi = b ?? (m[2] !== undefined ? YEAR_MAX : a) // `2026/2` = from 2026 every 2 years
      if (lo < YEAR_MIN || hi > YEAR_MAX) return bad(`years must be within ${YEAR_MIN}-${YEAR_MAX}`)
      if (lo > hi) return bad(`range ${lo}-${hi} is reversed`)
    }
    const step = m[2] !== undefined ? Number(m[2]) : 1
    if (step < 1) return bad('step must be at least 1')
    for (let y = lo; y <= hi; y += step) set.add(y)
  }
  return { ok: true, years: [...set].sort((a, b) => a - b) }
}

// --- time zone arithmetic ------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>()

function wallClock(ms: number, tz: string): { year: number; utcOfWall: number } {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(tz, f)
  }
  const v: Record<string, number> = {}
  for (const part of f.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') v[part.type] = Number(part.value)
  }
  return { year: v.year, utcOfWall: Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second) }
}

function offsetMs(ms: number, tz: string): number {
  return wallClock(ms, tz).utcOfWall - Math.floor(ms / 1000) * 1000
}

function localYear(ms: number, tz: string): number {
  return wallClock(ms, tz).year
}

/** The instant local midnight of 1 January `year` begins in `tz` (no zone changes offset
 *  at new year, so one correction step suffices). */
function localNewYear(year: number, tz: string): number {
  const wall = Date.UTC(year, 0, 1)
  const guess = wall - offsetMs(wall, tz)
  return wall - offsetMs(guess, tz)
}

// --- iteration -------------------------------------------------------------------------

/** Where forward iteration must begin to yield the canonical ticks after `fromMs`: before
 *  an offset change within the window (see the header), else `fromMs` itself. This bounds
 *  the extra stepping to 2 h of ticks, and only right after a change. */
function iterationStart(p: ParsedCron, fromMs: number): number {
  if (p.everyHour || p.tz === 'UTC') return fromMs
  return offsetMs(fromMs - DST_WINDOW_MS, p.tz) !== offsetMs(fromMs, p.tz) ? fromMs - DST_WINDOW_MS : fromMs
}

function* ticksAfter(p: ParsedCron, fromMs: number): Generator<number> {
  let after = fromMs
  for (;;) {
    const it = CronExpressionParser.parse(p.fields, { tz: p.tz, currentDate: iterationStart(p, after) })
    let restart = false
    while (!restart) {
      let ms: number
      try {
        ms = it.next().getTime()
      } catch {
        return // out of cron-parser's range or loop limit: no further ticks
      }
      if (ms <= after) continue // the anchored prefix, and never the same instant twice
      if (p.years) {
        const y = localYear(ms, p.tz)
        if (!p.years.includes(y)) {
          const nextYear = p.years.find((v) => v > y)
          if (nextYear === undefined) return
          // Jump instead of stepping through years of ticks; max() guarantees progress.
          after = Math.max(ms, localNewYear(nextYear, p.tz) - 1)
          restart = true
          continue
        }
      }
      yield ms
      after = ms
    }
  }
}

/** The latest cron-parser tick ≤ bound honouring the year field (may be non-canonical). */
function rawPrevious(p: ParsedCron, bound: number): number | null {
  let b = bound
  for (let i = 0; i < 1000; i++) {
    let ms: number
    try {
      // prev() is strictly before currentDate, so +1 ms makes it "at or before".
      ms = CronExpressionParser.parse(p.fields, { tz: p.tz, currentDate: b + 1 }).prev().getTime()
    } catch {
      return null
    }
    if (!p.years) return ms
    const y = localYear(ms, p.tz)
    if (p.years.includes(y)) return ms
    const earlier = p.years.filter((v) => v < y)
    if (earlier.length === 0) return null
    b = Math.min(ms - 1, localNewYear(earlier[earlier.length - 1] + 1, p.tz) - 1)
  }
  return null
}

function previousTick(p: ParsedCron, atMs: number): number | null {
  let bound = atMs
  for (let attempt = 0; attempt < MAX_PREV_ATTEMPTS; attempt++) {
    const candidate = rawPrevious(p, bound)
    if (candidate === null) return null
    // Walk forward canonically from before the candidate (and before a DST change next to
    // it): this drops a second-pass candidate, keeping the first-pass tick before it, and
    // picks up a DST-shifted tick prev() skipped.
    const from = iterationStart(p, candidate - 1)
    let best: number | null = null
    for (const ms of ticksAfter(p, from)) {
      if (ms > atMs) break
      best = ms
    }
    if (best !== null) return best
    bound = from
  }
  return null
}
