import {
  decodeEventStarted,
  decodeExecResult,
  decodeJsonBody,
  isWireTimestamp,
  type EventStarted,
  type ExecResult,
} from '../../../shared/wire'

// Hot-path decoders for the two high-volume messages (every run sends one start event and
// one result). They accept exactly what the zod schemas of shared/wire accept — plain checks
// instead of a schema walk, several times faster — and hand anything they refuse to the zod
// decoder, which then throws its precise WireDecodeError (or decodes an edge case).
// test/unit/projectors/fast-decode.test.ts checks both agree on fixtures and mutations.

const utf8 = new TextDecoder()

const isStr = (v: unknown): v is string => typeof v === 'string'
const isOptStr = (v: unknown): v is string | null | undefined => v === undefined || v === null || typeof v === 'string'
const isTs = (v: unknown): v is string => typeof v === 'string' && isWireTimestamp(v)
const isI32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= -0x8000_0000 && v <= 0x7fff_ffff

function parse<T>(type: string, decode: (raw: unknown) => T, data: Uint8Array): unknown {
  const text = utf8.decode(data)
  try {
    return JSON.parse(text)
  } catch {
    return decodeJsonBody(type, decode, text) // throws the wire module's "invalid JSON" error
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

export function fastDecodeExecResult(data: Uint8Array): ExecResult {
  const o = parse('ExecResult', decodeExecResult, data)
  if (
    isRecord(o) &&
    isOptStr(o.result_id) &&
    isStr(o.request_id) &&
    isOptStr(o.exec_id) &&
    isStr(o.pc_id) &&
    isI32(o.exit_code) &&
    isStr(o.stdout) &&
    isStr(o.stderr) &&
    isTs(o.started_at) &&
    isTs(o.finished_at) &&
    isOptStr(o.manifest_id)
  ) {
    return {
      result_id: o.result_id ?? '',
      request_id: o.request_id,
      exec_id: o.exec_id ?? null,
      pc_id: o.pc_id,
      exit_code: o.exit_code,
      stdout: o.stdout,
      stderr: o.stderr,
      started_at: o.started_at,
      finished_at: o.finished_at,
      manifest_id: o.manifest_id ?? null,
    }
  }
  return decodeExecResult(o)
}

export function fastDecodeEventStarted(data: Uint8Array): EventStarted {
  const o = parse('EventStarted', decodeEventStarted, data)
  if (
    isRecord(o) &&
    isStr(o.result_id) &&
    isStr(o.request_id) &&
    isStr(o.exec_id) &&
    isStr(o.pc_id) &&
    isTs(o.started_at) &&
    isStr(o.manifest_id) &&
    isStr(o.version)
  ) {
    return {
      result_id: o.result_id,
      request_id: o.request_id,
      exec_id: o.exec_id,
      pc_id: o.pc_id,
      started_at: o.started_at,
      manifest_id: o.manifest_id,
      version: o.version,
    }
  }
  return decodeEventStarted(o)
}
