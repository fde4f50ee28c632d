// Bad input, property-based (issue 10): every wire decoder, fed random values and mutated
// real messages, either returns a value or throws WireDecodeError — never anything else (a
// TypeError or RangeError would crash a projector instead of dead-lettering the message).
// A value that decodes encodes to bytes that decode and encode to the same bytes.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as wire from '../../../src/shared/wire'
import { WireDecodeError } from '../../../src/shared/wire'
import { wireVectors } from '../wire/fixtures'
import { mutatedJson, mutatedText, RUNS } from './arbitraries'

type Decoder = (raw: unknown) => unknown
interface Codec {
  decode: Decoder
  encode?: (v: never) => string
  /** Fixture name prefix whose payloads seed the mutations. */
  fixtures: string
}

const codecs: Record<string, Codec> = {
  Command: { decode: wire.decodeCommand, encode: wire.encodeCommand, fixtures: 'command/' },
  ExecResult: { decode: wire.decodeExecResult, encode: wire.encodeExecResult, fixtures: 'exec-result/' },
  EventStarted: { decode: wire.decodeEventStarted, encode: wire.encodeEventStarted, fixtures: 'event-started/' },
  Heartbeat: { decode: wire.decodeHeartbeat, encode: wire.encodeHeartbeat, fixtures: 'heartbeat/' },
  AuditEvent: { decode: wire.decodeAuditEvent, encode: wire.encodeAuditEvent, fixtures: 'audit/' },
  HwInventory: { decode: wire.decodeHwInventory, encode: wire.encodeHwInventory, fixtures: 'hw-inventory/' },
  LogsRequest: { decode: wire.decodeLogsRequest, encode: wire.encodeLogsRequest, fixtures: 'logs-fetch/' },
  ConfigScope: { decode: wire.decodeConfigScope, encode: wire.encodeConfigScope, fixtures: 'config-scope/' },
  AgentGroups: { decode: wire.decodeAgentGroups, encode: wire.encodeAgentGroups, fixtures: 'agent-groups/' },
  Manifest: { decode: wire.decodeManifest, encode: wire.encodeManifest, fixtures: 'manifest/' },
  Schedule: { decode: wire.decodeSchedule, encode: wire.encodeSchedule, fixtures: 'schedule/' },
  FanoutPlan: { decode: wire.decodeFanoutPlan, encode: wire.encodeFanoutPlan, fixtures: 'fanout-plan/' },
}

const vectors = wireVectors()
const seeds = (prefix: string) =>
  vectors.filter((v) => v.name.startsWith(prefix) && v.encoding === 'json').map((v) => v.payload)

/** Decode; the only error allowed out is WireDecodeError. */
function decodeOrWireError(decode: Decoder, raw: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: decode(raw) }
  } catch (e) {
    if (!(e instanceof WireDecodeError)) {
      throw new Error(`decoder threw ${(e as Error)?.name}: ${(e as Error)?.message} for ${safeJson(raw)}`)
    }
    expect(e.message.length).toBeGreaterThan(0)
    return { ok: false }
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 300) ?? String(v)
  } catch {
    return String(v)
  }
}

describe.each(Object.entries(codecs))('%s decoder', (_name, codec) => {
  const base = seeds(codec.fixtures)

  it('has fixture seeds', () => {
    expect(base.length).toBeGreaterThan(0)
  })

  it('random values: a value or a WireDecodeError', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }), (raw) => {
        decodeOrWireError(codec.decode, raw)
      }),
      { numRuns: RUNS },
    )
  })

  it('mutated real messages: a value or a WireDecodeError, and what decodes re-encodes to a fixed point', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(mutatedJson(base), (raw) => {
        const r = decodeOrWireError(codec.decode, raw)
        if (r.ok && codec.encode) {
          // Encoders normalise (sorted groups, dropped unknown keys): the encoded form is a fixed point.
          const encode = codec.encode as (v: unknown) => string
          const bytes = encode(r.value)
          expect(encode(codec.decode(JSON.parse(bytes)))).toBe(bytes)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('mutated bytes through decodeJsonBody: a value or a WireDecodeError', () => {
    fc.assert(
      fc.property(mutatedText(base.map((b) => JSON.stringify(b))), (text) => {
        decodeOrWireError((t) => wire.decodeJsonBody('x', codec.decode, t as string), text)
        decodeOrWireError((t) => wire.decodeJsonBody('x', codec.decode, new TextEncoder().encode(t as string)), text)
      }),
      { numRuns: RUNS },
    )
  })
})

describe('raw KV decoders', () => {
  it('never throw on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 32 }), (bytes, text) => {
        for (const body of [bytes, text]) {
          const st = wire.decodeScriptStatus(body)
          expect(st === null || st === 'ACTIVE' || st === 'REVOKED').toBe(true)
          expect(typeof wire.decodeScriptCurrent(body)).toBe('string')
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('LogsRequest body decoder: a value or a WireDecodeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutatedText(['{"tail_lines":5}', '{}', ''])), (body) => {
        decodeOrWireError((b) => wire.decodeLogsRequestBody(b as string | Uint8Array), body)
      }),
      { numRuns: RUNS },
    )
  })
})
