// Decode plumbing shared by the wire modules: field combinators for the three
// null-versus-omit codes of kanade-protocol.md §1.5, and one error type.
import { z } from 'zod'

/** Make the keys K of T optional (used for encoder inputs whose fields have defaults). */
export type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>

/** An optional field with a decode default: missing or JSON null → `fallback()`. */
export function withDefault<S extends z.ZodType>(schema: S, fallback: () => z.output<S>) {
  return schema.nullish().transform((v): z.output<S> => (v ?? fallback()) as z.output<S>)
}

/** An optional field without a default: missing or JSON null → null. */
export function orNull<S extends z.ZodType>(schema: S) {
  return schema.nullish().transform((v): z.output<S> | null => (v ?? null) as z.output<S> | null)
}

/** An "omit" field: missing or JSON null → unset (undefined, key dropped by `compact`). */
export function orUnset<S extends z.ZodType>(schema: S) {
  return schema.nullish().transform((v): z.output<S> | undefined => (v ?? undefined) as z.output<S> | undefined)
}

/** A "null" field without a decode default: the key must be present, its value may be null. */
export function presentNullable<S extends z.ZodType>(schema: S, field: string) {
  return z.custom<unknown>((v) => v !== undefined, { message: `missing field \`${field}\`` }).pipe(schema.nullable())
}

/** Drop keys whose value is undefined, keeping the order of the others. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v
  return out as T
}

/** Thrown by every `decodeX`; the message names the type and the offending fields. */
export class WireDecodeError extends Error {
  readonly type: string
  readonly issues: readonly z.core.$ZodIssue[]
  constructor(type: string, issues: readonly z.core.$ZodIssue[]) {
    super(`${type}: ${issues.map(describeIssue).join('; ')}`)
    this.name = 'WireDecodeError'
    this.type = type
    this.issues = issues
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `\`${issue.path.map(String).join('.')}\`` : 'body'
  const typeIssue = issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union'
  if (typeIssue && issue.path.length > 0 && issue.input === undefined) return `missing field ${where}`
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}${issue.path.length ? ` in ${where}` : ''}`
  }
  return `${where}: ${issue.message}`
}

/** Parse with `schema`, throwing a WireDecodeError named after `type`. */
export function decodeWith<T>(type: string, schema: z.ZodType<T>, raw: unknown): T {
  // reportInput lets describeIssue tell a missing key from a wrong value.
  const r = schema.safeParse(raw, { reportInput: true })
  if (r.success) return r.data
  throw new WireDecodeError(type, r.error.issues)
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: WireDecodeError }

/** Non-throwing form of any `decodeX`. */
export function tryDecode<T>(decode: (raw: unknown) => T, raw: unknown): DecodeResult<T> {
  try {
    return { ok: true, value: decode(raw) }
  } catch (e) {
    if (e instanceof WireDecodeError) return { ok: false, error: e }
    throw e
  }
}

/** Parse a message body (bytes or text) as JSON, then decode it; a JSON syntax error
 *  becomes a WireDecodeError too, so callers handle one error type. */
export function decodeJsonBody<T>(type: string, decode: (raw: unknown) => T, body: string | Uint8Array): T {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new WireDecodeError(type, [
      { code: 'custom', path: [], message: `invalid JSON: ${(e as Error).message}`, input: text } as z.core.$ZodIssue,
    ])
  }
  return decode(raw)
}
