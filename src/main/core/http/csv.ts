import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'

// CSV export of list routes: header row, RFC 4180 quoting with CRLF, UTF-8 BOM (so
// spreadsheet programs pick the encoding), and formula-injection guarding: a text cell that
// starts with = + - @ TAB or CR gets a leading apostrophe. Numbers stay numbers (-1 is not a
// formula); nested values are written as JSON text (and guarded like any text).

const FORMULA_START = /^[=+\-@\t\r]/

export function guardCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v)
  if (typeof v === 'string') return guardCell(v)
  if (v instanceof Date) return v.toISOString()
  return guardCell(JSON.stringify(v))
}

/** Column names from the row schema (declaration order), else from the rows themselves. */
export function csvColumns(rowSchema: z.ZodType, rows: Record<string, unknown>[]): string[] {
  if (rowSchema instanceof z.ZodObject) return Object.keys(rowSchema.shape)
  const cols = new Set<string>()
  for (const r of rows) for (const k of Object.keys(r)) cols.add(k)
  return [...cols]
}

export function toCsv(rows: unknown[], columns: string[]): string {
  const records = rows.map((r) => {
    const row = (r && typeof r === 'object' ? r : { value: r }) as Record<string, unknown>
    return columns.map((c) => cellText(row[c]))
  })
  return stringify([columns, ...records], {
    record_delimiter: 'windows',
    bom: true,
    quoted_match: /[\r\n]/,
  })
}
