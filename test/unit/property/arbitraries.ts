// fast-check arbitraries shared by the bad-input property tests: real messages mutated the
// way broken agents, hand-edited KV values and bit rot would mutate them.
import fc from 'fast-check'

/** Runs per property: enough to find shape bugs, bounded for 2-core CI. */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 150)

/** Values that tend to break decoders: edge numbers, odd timestamps, prototype keys. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    '',
    ' ',
    '\u0000',
    '2026-13-45T00:00:00Z',
    '9999-12-31T23:59:59.999999999Z',
    '0000-01-01T00:00:00Z',
    '2026-05-20T12:00:05+25:00',
    '2026-05-20 12:00:05',
    'not a time',
    '1h 30m',
    '-5s',
    '18446744073709551616s',
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    1e308,
    -1e308,
    -0,
    0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    undefined,
    true,
    [],
    {},
    [null],
    { __proto__: null },
    '__proto__',
    'constructor',
    'x'.repeat(5000),
  ),
)

type Path = (string | number)[]

function allPaths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix)
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...prefix, i], out))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) allPaths(x, [...prefix, k], out)
  return out
}

/** Deep copy keeping undefined, NaN and -0 (shared constants must never be mutated). */
function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {}
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, k, { value: clone(x), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return v
}

type Op = { kind: 'delete' | 'set' | 'add' | 'swap'; pick: number; key: string; value: unknown }

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Op['kind']>('delete', 'set', 'add', 'swap'),
  pick: fc.nat(),
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'job_id', 'result_id')),
  value: nastyValue,
})

/** Swap a value for another JSON type (string ↔ number, scalar ↔ container). */
function swapType(v: unknown): unknown {
  if (typeof v === 'string') return v.length ? Number(v) || v.length : 0
  if (typeof v === 'number') return String(v)
  if (typeof v === 'boolean') return v ? 'true' : 0
  if (Array.isArray(v)) return v.length ? v[0] : {}
  if (v && typeof v === 'object') return Object.values(v)
  return 'null'
}

function apply(doc: unknown, o: Op): unknown {
  o = { ...o, value: clone(o.value) }
  const paths = allPaths(doc)
  const path = paths[o.pick % paths.length]
  if (path.length === 0) {
    if (o.kind === 'swap') return swapType(doc)
    if (o.kind === 'set') return o.value
    if (o.kind === 'add' && doc && typeof doc === 'object' && !Array.isArray(doc)) {
      Object.defineProperty(doc, o.key, { value: o.value, enumerable: true, writable: true, configurable: true })
    }
    return doc
  }
  const parent = path.slice(0, -1).reduce<unknown>((p, k) => (p as Record<string | number, unknown>)[k], doc) as Record<
    string | number,
    unknown
  >
  const last = path[path.length - 1]
  if (o.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1)
    else delete parent[last]
  } else if (o.kind === 'set') parent[last] = o.value
  else if (o.kind === 'swap') parent[last] = swapType(parent[last])
  else if (!Array.isArray(parent)) {
    Object.defineProperty(parent, o.key, { value: o.value, enumerable: true, writable: true, configurable: true })
  } else parent.push(o.value)
  return doc
}

/** A seed message with 1–3 random mutations (delete, replace, add a key, swap a type). */
export function mutatedJson(seeds: unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.nat({ max: Math.max(0, seeds.length - 1) }), fc.array(op, { minLength: 1, maxLength: 3 }))
    .map(([i, ops]) => ops.reduce((doc, o) => apply(doc, o), clone(seeds[i])))
}

/** A seed text truncated, with bytes inserted, deleted or replaced — or entirely random. */
export function mutatedText(seeds: string[]): fc.Arbitrary<string> {
  const fromSeed = fc
    .tuple(
      fc.nat({ max: Math.max(0, seeds.length - 1) }),
      fc.constantFrom('truncate', 'insert', 'delete', 'replace', 'double'),
      fc.nat(),
      fc.nat({ max: 8 }),
      fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }),
    )
    .map(([i, kind, at, len, s]) => {
      const text = seeds[i] ?? ''
      const p = text.length ? at % text.length : 0
      switch (kind) {
        case 'truncate':
          return text.slice(0, p)
        case 'insert':
          return text.slice(0, p) + s + text.slice(p)
        case 'delete':
          return text.slice(0, p) + text.slice(p + len + 1)
        case 'replace':
          return text.slice(0, p) + s + text.slice(p + s.length)
        default:
          return text + text
      }
    })
  return fc.oneof({ weight: 4, arbitrary: fromSeed }, { weight: 1, arbitrary: fc.string({ maxLength: 64, unit: 'binary' }) })
}
