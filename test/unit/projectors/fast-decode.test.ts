// The hot-path decoders must accept exactly what the zod wire decoders accept, with the same
// value, and fail with the same error otherwise: fixtures plus random mutations.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fastDecodeEventStarted, fastDecodeExecResult } from '../../../src/main/core/projectors/fast-decode'
import { decodeEventStarted, decodeExecResult, decodeJsonBody } from '../../../src/shared/wire'
import { loadFixture, type WireVector } from '../wire/fixtures'

const vectors = loadFixture<WireVector[]>('wire-messages.json')
const enc = new TextEncoder()

type Outcome = { ok: true; value: unknown } | { ok: false; error: string }
function run(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() }
  } catch (e) {
    return { ok: false, error: (e as Error).message }
  }
}

const cases: { name: string; prefix: string; fast: (b: Uint8Array) => unknown; slow: (raw: unknown) => unknown }[] = [
  { name: 'ExecResult', prefix: 'exec-result/', fast: fastDecodeExecResult, slow: decodeExecResult },
  { name: 'EventStarted', prefix: 'event-started/', fast: fastDecodeEventStarted, slow: decodeEventStarted },
]

// Values that probe each field's type rules.
const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, -0, 1.5, NaN),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom('2026-05-20T12:00:00Z', '2026-05-20T12:00:00', '2026-02-30T12:00:00Z', '2026-05-20 12:00:00Z', '2026-05-20T12:00:00.123456789+09:00'),
)

describe('fast decoders agree with the zod wire decoders', () => {
  for (const c of cases) {
    const samples = vectors.filter((v) => v.name.startsWith(c.prefix)).map((v) => v.payload as Record<string, unknown>)

    it(`${c.name}: every fixture vector`, () => {
      expect(samples.length).toBeGreaterThan(1)
      for (const p of samples) {
        const body = enc.encode(JSON.stringify(p))
        expect(run(() => c.fast(body))).toEqual(run(() => decodeJsonBody(c.name, c.slow, body)))
      }
    })

    it(`${c.name}: mutated fields, extra keys and non-objects`, () => {
      const keys = [...new Set(samples.flatMap((p) => Object.keys(p)))]
      fc.assert(
        fc.property(
          fc.constantFrom(...samples),
          fc.array(fc.tuple(fc.constantFrom(...keys, 'extra'), oddValue), { maxLength: 3 }),
          (base, edits) => {
            const obj: Record<string, unknown> = { ...base }
            for (const [k, v] of edits) {
              if (v === undefined) delete obj[k]
              else obj[k] = v
            }
            const body = enc.encode(JSON.stringify(obj))
            expect(run(() => c.fast(body))).toEqual(run(() => decodeJsonBody(c.name, c.slow, body)))
          },
        ),
        { numRuns: 400 },
      )
      for (const text of ['[]', 'null', '"x"', '42', '{', '']) {
        const body = enc.encode(text)
        expect(run(() => c.fast(body))).toEqual(run(() => decodeJsonBody(c.name, c.slow, body)))
      }
    })
  }
})
