// ConfigScope, effective config resolution (§6) and AgentGroups (§4.8).
import { describe, expect, it } from 'vitest'
import {
  CONFIG_DEFAULTS,
  decodeAgentGroups,
  decodeConfigScope,
  encodeAgentGroups,
  encodeConfigScope,
  resolveEffectiveConfig,
} from '../../../src/shared/wire'

describe('ConfigScope', () => {
  it('null is unset, unknown keys are dropped, wrong types are rejected', () => {
    expect(decodeConfigScope({ target_version: null, heartbeat_interval: '15s', max_local_concurrent: 2 })).toStrictEqual({
      heartbeat_interval: '15s',
    })
    expect(() => decodeConfigScope({ heartbeat_interval: 30 })).toThrow(/heartbeat_interval/)
    expect(() => decodeConfigScope([])).toThrow()
  })

  it('encodes set fields in kanade order', () => {
    expect(encodeConfigScope({ heartbeat_interval: '30s', target_version: '0.30.2' })).toBe(
      '{"target_version":"0.30.2","heartbeat_interval":"30s"}',
    )
    expect(encodeConfigScope({})).toBe('{}')
  })
})

describe('resolveEffectiveConfig', () => {
  it('the §6.3 example: wave1 sorts last and wins, with one warning', () => {
    const r = resolveEffectiveConfig(
      null,
      { 'dept-eng': { heartbeat_interval: '15s' }, wave1: { heartbeat_interval: '60s' } },
      null,
      ['wave1', 'dept-eng'],
    )
    expect(r.effective).toStrictEqual({ target_version: null, target_version_jitter: '0s', heartbeat_interval: '60s' })
    expect(r.warnings).toStrictEqual([
      'multi-group conflict on `heartbeat_interval` — set by [dept-eng, wave1]; alphabetical last wins (=> wave1)',
    ])
    expect(r.conflicts).toStrictEqual([{ field: 'heartbeat_interval', groups: ['dept-eng', 'wave1'] }])
  })

  it('built-in defaults with nothing set', () => {
    expect(resolveEffectiveConfig(undefined, {}, undefined, [])).toStrictEqual({
      effective: CONFIG_DEFAULTS,
      warnings: [],
      conflicts: [],
    })
  })

  it('layers global < groups < pc, unset fields inherit', () => {
    const r = resolveEffectiveConfig(
      { target_version: '0.30.0', target_version_jitter: '30m', heartbeat_interval: '30s' },
      { canary: { target_version: '0.30.2' } },
      { heartbeat_interval: '10s' },
      ['canary'],
    )
    expect(r.effective).toStrictEqual({ target_version: '0.30.2', target_version_jitter: '30m', heartbeat_interval: '10s' })
    expect(r.warnings).toStrictEqual([])
  })

  it('sorts byte-wise (upper case first), de-duplicates, skips groups without a scope', () => {
    const r = resolveEffectiveConfig(
      null,
      { alpha: { target_version: 'a' }, Beta: { target_version: 'B' }, gamma: { heartbeat_interval: '5s' } },
      null,
      ['alpha', 'Beta', 'alpha', 'no-scope'],
    )
    // Byte-wise: "Beta" < "alpha", so alpha applies last.
    expect(r.effective.target_version).toBe('a')
    expect(r.effective.heartbeat_interval).toBe('30s') // gamma is not one of the PC's groups
    expect(r.warnings).toStrictEqual([
      'multi-group conflict on `target_version` — set by [Beta, alpha]; alphabetical last wins (=> alpha)',
    ])
  })

  it('warns even when the groups agree, once per field, in field order, and the PC still wins', () => {
    const r = resolveEffectiveConfig(
      null,
      {
        a: { heartbeat_interval: '15s', target_version: '1' },
        b: { heartbeat_interval: '15s', target_version: '2' },
        c: { heartbeat_interval: '20s' },
      },
      { target_version: 'pc' },
      ['c', 'b', 'a'],
    )
    expect(r.effective).toStrictEqual({ target_version: 'pc', target_version_jitter: '0s', heartbeat_interval: '20s' })
    expect(r.warnings).toStrictEqual([
      'multi-group conflict on `target_version` — set by [a, b]; alphabetical last wins (=> b)',
      'multi-group conflict on `heartbeat_interval` — set by [a, b, c]; alphabetical last wins (=> c)',
    ])
  })

  it('is not fooled by group names that are Object.prototype keys', () => {
    const r = resolveEffectiveConfig(null, {}, null, ['constructor', 'toString', '__proto__'])
    expect(r.effective).toStrictEqual(CONFIG_DEFAULTS)
  })
})

describe('AgentGroups', () => {
  it('reads the object form and the bare array', () => {
    expect(decodeAgentGroups({ groups: ['b', 'a'] })).toStrictEqual({ groups: ['b', 'a'] })
    expect(decodeAgentGroups(['canary', 'wave1'])).toStrictEqual({ groups: ['canary', 'wave1'] })
    expect(decodeAgentGroups({ set_by: 'x' })).toStrictEqual({ groups: [] })
    expect(() => decodeAgentGroups({ groups: [1] })).toThrow()
    expect(() => decodeAgentGroups('canary')).toThrow()
  })

  it('writes sorted, de-duplicated object form', () => {
    expect(encodeAgentGroups(['wave2', 'canary', 'wave1', 'canary'])).toBe('{"groups":["canary","wave1","wave2"]}')
    expect(encodeAgentGroups({ groups: ['b', 'B', 'a'] })).toBe('{"groups":["B","a","b"]}')
    expect(encodeAgentGroups({ groups: [] })).toBe('{"groups":[]}')
    expect(encodeAgentGroups([])).toBe('{"groups":[]}')
  })
})
