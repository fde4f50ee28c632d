// Manifest, FanoutPlan and Schedule rules beyond the fixtures (§5).
import { describe, expect, it } from 'vitest'
import {
  TARGET_REQUIRED_MESSAGE,
  WireDecodeError,
  decodeFanoutPlan,
  decodeManifest,
  decodeSchedule,
  encodeFanoutPlan,
  encodeManifest,
  encodeSchedule,
  isTargetSpecified,
  validateFanoutPlan,
} from '../../../src/shared/wire'

const execute = { shell: 'powershell', script: 'echo', timeout: '30s' } as const
const minimal = { id: 'echo-test', version: '0.0.1', execute }

describe('Manifest', () => {
  it('fills defaults', () => {
    expect(decodeManifest(minimal)).toStrictEqual({
      id: 'echo-test',
      version: '0.0.1',
      description: null,
      execute: { ...execute, run_as: 'system' },
      require_approval: false,
      inventory: null,
      staleness: { mode: 'cached' },
    })
  })

  it.each(['target', 'rollout', 'tags', 'script_file', 'manifest'])('rejects the top-level key %s, naming it', (key) => {
    expect(() => decodeManifest({ ...minimal, [key]: {} })).toThrow(new RegExp(`unknown field \`${key}\``))
  })

  it('ignores unknown keys inside execute and inventory entries', () => {
    const m = decodeManifest({
      ...minimal,
      execute: { ...execute, jitter: '5s' },
      inventory: { display: [{ field: 'a', label: 'A', extra: 1 }], explode: 'x' },
    })
    expect(m.execute).toStrictEqual({ ...execute, run_as: 'system' })
    expect(m.inventory).toStrictEqual({ display: [{ field: 'a', label: 'A' }] })
  })

  it('requires execute, its shell/script/timeout and inventory.display', () => {
    expect(() => decodeManifest({ id: 'x', version: '1' })).toThrow(/missing field `execute`/)
    expect(() => decodeManifest({ ...minimal, execute: { shell: 'cmd', script: 'x' } })).toThrow(/`execute\.timeout`/)
    expect(() => decodeManifest({ ...minimal, inventory: { summary: [] } })).toThrow(/`inventory\.display`/)
  })

  it('decodes nested table columns recursively', () => {
    const m = decodeManifest({
      ...minimal,
      inventory: {
        display: [{ field: 'd', label: 'D', type: 'table', columns: [{ field: 'x', label: 'X', columns: null, type: null }] }],
      },
    })
    expect(m.inventory!.display[0].columns).toStrictEqual([{ field: 'x', label: 'X' }])
  })

  it('the encoder writes only 0.30 keys, in order, and does not throw on extras', () => {
    const withExtra = { ...minimal, tags: ['a'] } as never
    expect(encodeManifest(withExtra)).toBe(
      '{"id":"echo-test","version":"0.0.1","description":null,"execute":{"shell":"powershell","script":"echo","timeout":"30s","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}',
    )
  })
})

describe('FanoutPlan', () => {
  it('defaults the target and accepts null lists', () => {
    expect(decodeFanoutPlan({})).toStrictEqual({ target: { groups: [], pcs: [], all: false } })
    expect(decodeFanoutPlan({ target: { groups: null, all: true } })).toStrictEqual({ target: { groups: [], pcs: [], all: true } })
  })

  it('defaults the rollout strategy and requires waves', () => {
    const p = decodeFanoutPlan({ target: { groups: ['a'] }, rollout: { waves: [{ group: 'a', delay: '0s' }] } })
    expect(p.rollout).toStrictEqual({ strategy: 'wave', waves: [{ group: 'a', delay: '0s' }] })
    expect(() => decodeFanoutPlan({ rollout: {} })).toThrow(/`rollout\.waves`/)
    expect(() => decodeFanoutPlan({ rollout: { strategy: 'canary', waves: [] } })).toThrow(/`rollout\.strategy`/)
  })

  it('validates deadline_at as a timestamp but keeps durations as text', () => {
    expect(() => decodeFanoutPlan({ deadline_at: 'later' })).toThrow(/deadline_at/)
    expect(decodeFanoutPlan({ jitter: 'soon' }).jitter).toBe('soon')
  })

  it('isTargetSpecified', () => {
    expect(isTargetSpecified({ groups: [], pcs: [], all: false })).toBe(false)
    expect(isTargetSpecified({ groups: [], pcs: [], all: true })).toBe(true)
    expect(isTargetSpecified({ groups: ['g'], pcs: [], all: false })).toBe(true)
    expect(isTargetSpecified({ groups: [], pcs: ['p'], all: false })).toBe(true)
  })

  it('validateFanoutPlan gives kanade 400 texts', () => {
    const empty = { groups: [], pcs: [], all: false }
    expect(validateFanoutPlan({ target: empty })).toBe(TARGET_REQUIRED_MESSAGE)
    // A rollout with waves stands in for a target.
    expect(validateFanoutPlan({ target: empty, rollout: { strategy: 'wave', waves: [{ group: 'g', delay: '0s' }] } })).toBeNull()
    expect(validateFanoutPlan({ target: { ...empty, all: true }, jitter: '10x' })).toMatch(/^invalid jitter: /)
    expect(
      validateFanoutPlan({
        target: empty,
        rollout: { strategy: 'wave', waves: [{ group: 'g', delay: '0s' }, { group: 'h', delay: 'bad' }] },
      }),
    ).toMatch(/^invalid rollout\.waves\[1\]\.delay: /)
  })

  it('encodes the target with all three keys', () => {
    expect(encodeFanoutPlan({ target: { pcs: ['p'] } as never, jitter: '5s' })).toBe(
      '{"target":{"groups":[],"pcs":["p"],"all":false},"jitter":"5s"}',
    )
  })
})

describe('Schedule', () => {
  const s = { id: 's', cron: '0 0 * * * *', job_id: 'j' }
  it('fills defaults, keeps unknown keys out, requires id/cron/job_id', () => {
    expect(decodeSchedule({ ...s, tz: 'Asia/Tokyo', when: {} })).toStrictEqual({
      ...s,
      target: { groups: [], pcs: [], all: false },
      mode: 'every_tick',
      auto_disable_when_done: false,
      runs_on: 'backend',
      enabled: true,
    })
    for (const f of ['id', 'cron', 'job_id']) {
      const { [f]: _, ...rest } = s as Record<string, string>
      expect(() => decodeSchedule(rest)).toThrow(new RegExp(`missing field \`${f}\``))
    }
    expect(() => decodeSchedule({ ...s, mode: 'per_pc' })).toThrow(WireDecodeError)
    expect(() => decodeSchedule({ ...s, runs_on: 'both' })).toThrow(/runs_on/)
  })

  it('keeps enabled false and writes every key in kanade order', () => {
    const text = encodeSchedule({
      ...s,
      enabled: false,
      starting_deadline: '10m',
      cooldown: '1d',
      mode: 'once_per_target',
      deadline_at: '2026-05-20T12:00:00Z',
      jitter: '30s',
      rollout: { strategy: 'wave', waves: [{ group: 'g', delay: '0s' }] },
      target: { groups: ['g'], pcs: [], all: false },
    })
    expect(text).toBe(
      '{"id":"s","cron":"0 0 * * * *","job_id":"j","target":{"groups":["g"],"pcs":[],"all":false},"rollout":{"strategy":"wave","waves":[{"group":"g","delay":"0s"}]},"jitter":"30s","deadline_at":"2026-05-20T12:00:00Z","mode":"once_per_target","cooldown":"1d","auto_disable_when_done":false,"starting_deadline":"10m","runs_on":"backend","enabled":false}',
    )
  })
})
