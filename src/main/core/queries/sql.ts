import { canonicalize, parseTimestamp } from '../../../shared/time'

// Small helpers for the read queries: WHERE clauses built from optional filters, LIKE
// escaping, whitelisted ORDER BY, and timestamps rendered canonically (a database imported
// from kanade 0.30 may hold `…+00:00` or `YYYY-MM-DD HH:MM:SS` texts).

export class Where {
  private parts: string[] = []
  readonly args: unknown[] = []

  /** Add a condition when `value` is set (not undefined / null / ''). */
  when(value: unknown, sql: string, ...args: unknown[]): this {
    if (value === undefined || value === null || value === '') return this
    return this.add(sql, ...args)
  }

  add(sql: string, ...args: unknown[]): this {
    this.parts.push(`(${sql})`)
    this.args.push(...args)
    return this
  }

  clone(): Where {
    const w = new Where()
    w.parts = [...this.parts]
    w.args.push(...this.args)
    return w
  }

  get sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : ''
  }
}

/** `%text%` for `LIKE ? ESCAPE '\'`, with the wildcards of `text` escaped. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** ORDER BY for a `sort` value (`col` or `-col`) over whitelisted columns, with a tiebreak. */
export function orderBy(sort: string, columns: readonly string[], tiebreak: string): string {
  const desc = sort.startsWith('-')
  const col = desc ? sort.slice(1) : sort
  if (!columns.includes(col)) throw new Error(`sort column ${col} is not allowed`)
  const dir = desc ? 'DESC' : 'ASC'
  return `ORDER BY ${col} ${dir}${col === tiebreak ? '' : `, ${tiebreak} ${dir}`}`
}

/** LIMIT/OFFSET; a missing limit means every row. */
export function page(limit: number | undefined, offset: number): { sql: string; args: number[] } {
  return { sql: 'LIMIT ? OFFSET ?', args: [limit ?? -1, offset] }
}

// What the console writes; checking for it first skips the full parser on almost every row.
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export function ts(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null
  if (CANONICAL.test(v)) return v
  return canonicalize(v) ?? v
}

/** Epoch ms of a stored timestamp, or null. */
export function tsMs(v: string | null | undefined): number | null {
  if (v === null || v === undefined) return null
  if (CANONICAL.test(v)) return Date.parse(v)
  return parseTimestamp(v)
}

/** Parse stored JSON text; text that is not JSON is handed back as a string. */
export function jsonOrText(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
