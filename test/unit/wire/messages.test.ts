// Decoder rules of the NATS messages beyond what the fixtures show (§4.1–§4.7).
import { describe, expect, it } from 'vitest'
import {
  WireDecodeError,
  decodeAuditEvent,
  decodeCommand,
  decodeEventStarted,
  decodeExecResult,
  decodeHeartbeat,
  decodeHwInventory,
  decodeJsonBody,
  decodeLogsRequest,
  decodeLogsRequestBody,
  encodeAuditEvent,
  encodeCommand,
  encodeExecResult,
  encodeHeartbeat,
  encodeLogsRequest,
  tryDecode,
} from '../../../src/shared/wire'

const cmd = { id: 'x', version: '1.0.0', request_id: 'r', shell: 'cmd', script: 'echo', timeout_secs: 5 }
const result = {
  request_id: 'r',
  pc_id: 'pc',
  exit_code: 0,
  stdout: '',
  stderr: '',
  started_at: '2026-05-20T12:00:00Z',
  finished_at: '2026-05-20T12:00:01Z',
}

describe('Command', () => {
  it('rejects a body carrying both exec_id and its alias job_id', () => {
    expect(() => decodeCommand({ ...cmd, exec_id: 'a', job_id: 'b' })).toThrow(/duplicate field `exec_id`/)
    expect(() => decodeCommand({ ...cmd, exec_id: null, job_id: 'b' })).toThrow(WireDecodeError)
  })

  it('accepts job_id alone, also as null', () => {
    expect(decodeCommand({ ...cmd, job_id: 'j' }).exec_id).toBe('j')
    expect(decodeCommand({ ...cmd, job_id: null }).exec_id).toBeNull()
  })

  it('names a missing required field', () => {
    for (const f of ['id', 'version', 'request_id', 'shell', 'script', 'timeout_secs']) {
      const { [f]: _, ...rest } = cmd as Record<string, unknown>
      expect(() => decodeCommand(rest)).toThrow(new RegExp(`missing field \`${f}\``))
    }
  })

  it('rejects later shells, bad enums and negative or fractional seconds', () => {
    expect(() => decodeCommand({ ...cmd, shell: 'sh' })).toThrow(/shell/)
    expect(() => decodeCommand({ ...cmd, run_as: 'admin' })).toThrow(/run_as/)
    expect(() => decodeCommand({ ...cmd, timeout_secs: -1 })).toThrow(/timeout_secs/)
    expect(() => decodeCommand({ ...cmd, jitter_secs: 1.5 })).toThrow(/jitter_secs/)
    expect(() => decodeCommand({ ...cmd, deadline_at: 'tomorrow' })).toThrow(/deadline_at/)
    expect(() => decodeCommand({ ...cmd, staleness: { mode: 'strict' } })).toThrow(/staleness\.max_cache_age/)
    expect(() => decodeCommand([cmd])).toThrow(WireDecodeError)
    expect(() => decodeCommand(null)).toThrow(WireDecodeError)
  })

  it('treats JSON null as unset for optional fields and ignores later keys', () => {
    const c = decodeCommand({ ...cmd, cwd: null, deadline_at: null, run_as: null, staleness: null, retry: { max: 3 } })
    expect(c).toStrictEqual({
      ...cmd,
      exec_id: null,
      jitter_secs: null,
      run_as: 'system',
      staleness: { mode: 'cached' },
    })
  })

  it('encodes defaults, never job_id, and keeps deadline_at text', () => {
    expect(encodeCommand({ ...cmd, shell: 'cmd' })).toBe(
      '{"id":"x","version":"1.0.0","request_id":"r","exec_id":null,"shell":"cmd","script":"echo","timeout_secs":5,"jitter_secs":null,"run_as":"system","staleness":{"mode":"cached"}}',
    )
    const withAll = encodeCommand({
      ...cmd,
      shell: 'powershell',
      exec_id: 'e',
      cwd: 'C:\\x',
      deadline_at: '2026-05-20T12:10:00.500Z',
      staleness: { max_cache_age: '5m', mode: 'strict' } as never,
    })
    expect(withAll).toContain('"cwd":"C:\\\\x","deadline_at":"2026-05-20T12:10:00.500Z","staleness":{"mode":"strict","max_cache_age":"5m"}}')
    expect(withAll).not.toContain('job_id')
  })

  it('the encoder validates its input', () => {
    expect(() => encodeCommand({ ...cmd, shell: 'cmd', timeout_secs: -5 })).toThrow(WireDecodeError)
  })
})

describe('ExecResult', () => {
  it('missing or null result_id decodes as ""', () => {
    expect(decodeExecResult(result).result_id).toBe('')
    expect(decodeExecResult({ ...result, result_id: null }).result_id).toBe('')
  })

  it('ignores a job_id key (no alias on results)', () => {
    expect(decodeExecResult({ ...result, job_id: 'x' }).exec_id).toBeNull()
  })

  it('requires the run fields and an i32 exit code', () => {
    for (const f of ['request_id', 'pc_id', 'exit_code', 'stdout', 'stderr', 'started_at', 'finished_at']) {
      const { [f]: _, ...rest } = result as Record<string, unknown>
      expect(() => decodeExecResult(rest)).toThrow(new RegExp(`\`${f}\``))
    }
    expect(decodeExecResult({ ...result, exit_code: -1 }).exit_code).toBe(-1)
    expect(() => decodeExecResult({ ...result, exit_code: 2 ** 31 })).toThrow(/exit_code/)
  })

  it('omits exec_id and manifest_id when null', () => {
    expect(encodeExecResult({ ...result, result_id: 'id' })).toBe(
      '{"result_id":"id","request_id":"r","pc_id":"pc","exit_code":0,"stdout":"","stderr":"","started_at":"2026-05-20T12:00:00Z","finished_at":"2026-05-20T12:00:01Z"}',
    )
  })

  it('keeps non-ASCII and control characters as JSON.stringify writes them', () => {
    const r = { ...result, result_id: 'id', stdout: '端末\u0001\n', stderr: 'a — b' }
    expect(encodeExecResult(r)).toContain('"stdout":"端末\\u0001\\n","stderr":"a — b"')
  })
})

describe('EventStarted', () => {
  const ev = {
    result_id: 'r1',
    request_id: 'req-1',
    exec_id: 'e1',
    pc_id: 'pc1',
    started_at: '2026-05-20T12:00:00Z',
    manifest_id: 'm',
    version: '1.0.0',
  }
  it('requires all seven fields, none null', () => {
    for (const f of Object.keys(ev)) {
      const { [f]: _, ...rest } = ev as Record<string, unknown>
      expect(() => decodeEventStarted(rest)).toThrow(new RegExp(`\`${f}\``))
      expect(() => decodeEventStarted({ ...ev, [f]: null })).toThrow(WireDecodeError)
    }
  })
})

describe('Heartbeat', () => {
  it('encodes hostname / os_family only when set', () => {
    expect(encodeHeartbeat({ pc_id: 'x', at: '2026-05-16T00:00:00Z', agent_version: '0.11.5' })).toBe(
      '{"pc_id":"x","at":"2026-05-16T00:00:00Z","agent_version":"0.11.5"}',
    )
    expect(decodeHeartbeat({ pc_id: 'x', at: '2026-05-16T00:00:00+09:00', agent_version: '1', hostname: null }).hostname).toBeNull()
  })
  it('rejects a heartbeat without a valid `at`', () => {
    expect(() => decodeHeartbeat({ pc_id: 'x', agent_version: '1' })).toThrow(/missing field `at`/)
    expect(() => decodeHeartbeat({ pc_id: 'x', at: 'now', agent_version: '1' })).toThrow(/`at`/)
  })
})

describe('AuditEvent', () => {
  const ev = { actor: 'console', action: 'kill', target: 'job', payload: { exec_ids: ['e'] }, occurred_at: '2026-05-20T12:00:00Z' }
  it('requires the target key (null allowed) and a payload', () => {
    const { target: _, ...noTarget } = ev
    expect(() => decodeAuditEvent(noTarget)).toThrow(/`target`/)
    expect(decodeAuditEvent({ ...ev, target: null }).target).toBeNull()
    const { payload: __, ...noPayload } = ev
    expect(() => decodeAuditEvent(noPayload)).toThrow(/`payload`/)
    expect(decodeAuditEvent({ ...ev, payload: null }).payload).toBeNull()
  })
  it('writes target as null when unset', () => {
    const { target: _, ...rest } = ev
    expect(encodeAuditEvent(rest)).toBe(
      '{"actor":"console","action":"kill","target":null,"payload":{"exec_ids":["e"]},"occurred_at":"2026-05-20T12:00:00Z"}',
    )
  })
})

describe('HwInventory', () => {
  it('requires os_build and file_system keys (null allowed)', () => {
    const inv = {
      pc_id: 'p',
      hostname: 'h',
      os_name: 'o',
      os_version: 'v',
      os_build: null,
      cpu_model: 'c',
      cpu_cores: 4,
      ram_bytes: 1,
      disks: [{ device_id: 'C:', size_bytes: 2, free_bytes: 1, file_system: null }],
      collected_at: '2026-05-16T00:00:00Z',
    }
    expect(decodeHwInventory(inv)).toStrictEqual(inv)
    const { os_build: _, ...noBuild } = inv
    expect(() => decodeHwInventory(noBuild)).toThrow(/`os_build`/)
    expect(() => decodeHwInventory({ ...inv, disks: [{ device_id: 'C:', size_bytes: 2, free_bytes: 1 }] })).toThrow(
      /`disks\.0\.file_system`/,
    )
  })
})

describe('LogsRequest', () => {
  it('falls back to 500 lines for anything that does not decode', () => {
    expect(decodeLogsRequest({ tail_lines: 20 })).toStrictEqual({ tail_lines: 20 })
    for (const raw of [{}, { tail_lines: null }, { tail_lines: -1 }, { tail_lines: 'x' }, null, 'text']) {
      expect(decodeLogsRequest(raw)).toStrictEqual({ tail_lines: 500 })
    }
    expect(decodeLogsRequestBody('not json')).toStrictEqual({ tail_lines: 500 })
    expect(decodeLogsRequestBody(new TextEncoder().encode('{"tail_lines":7}'))).toStrictEqual({ tail_lines: 7 })
  })
  it('encodes tail_lines', () => {
    expect(encodeLogsRequest({ tail_lines: 100 })).toBe('{"tail_lines":100}')
  })
})

describe('decode helpers', () => {
  it('decodeJsonBody turns a JSON syntax error into a WireDecodeError', () => {
    expect(() => decodeJsonBody('ExecResult', decodeExecResult, '{"request_id": 42')).toThrow(WireDecodeError)
    expect(() => decodeJsonBody('ExecResult', decodeExecResult, '{"request_id": 42}')).toThrow(/`request_id`/)
    expect(decodeJsonBody('ExecResult', decodeExecResult, new TextEncoder().encode(JSON.stringify(result))).pc_id).toBe('pc')
  })
  it('tryDecode reports instead of throwing', () => {
    const bad = tryDecode(decodeCommand, {})
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.type).toBe('Command')
    const good = tryDecode(decodeCommand, cmd)
    expect(good.ok && good.value.id).toBe('x')
  })
})
