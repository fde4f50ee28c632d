import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SimAgent, emptyStats, withNote, type AgentHost, type Gates } from '../../../src/main/sim/agent'
import { agentIdentity } from '../../../src/main/sim/identity'
import type { Command, EventStarted, ExecResult } from '../../../src/shared/wire'

// The §7.3 pipeline of one agent with a recording host (no broker): the parts a live
// broker cannot reach in a test, such as strict staleness while disconnected, and jitter.

const T0 = Date.UTC(2026, 4, 20, 12)
let events: EventStarted[]
let results: ExecResult[]
let host: AgentHost

function agent(profile: 'normal' | 'flaky' = 'normal', os: 'windows' | 'linux' = 'windows'): SimAgent {
  const id = agentIdentity(0, { seed: 1, namePrefix: 'PC-', osMix: { [os]: 1 }, failRate: profile === 'flaky' ? 1 : 0, slowRate: 0, flapRate: 0 }, T0)
  return new SimAgent(id, host, 1, 30_000)
}
const cmd = (p: Partial<Command> = {}): Command => ({
  id: 'job', version: '1.0.0', request_id: `r-${Math.random()}`, exec_id: 'e-1', shell: 'powershell', script: 'hostname',
  timeout_secs: 60, jitter_secs: null, run_as: 'system', staleness: { mode: 'cached' }, ...p,
})
const open = (): (() => Promise<Gates>) => () => Promise.resolve({ pin: null, status: null })

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
  events = []
  results = []
  host = {
    now: () => Date.now(),
    publishStarted: (_a, e) => events.push(e),
    publishResult: (_a, r) => results.push(r),
    watchKill: () => {},
    unwatchKill: () => {},
    execTimeMs: [100, 100],
    stats: emptyStats(),
  }
})
afterEach(() => vi.useRealTimers())

describe('SimAgent pipeline', () => {
  it('strict staleness: a disconnected agent answers exit 127 without running or a start event', async () => {
    const a = agent()
    a.disconnectedAt = T0 - (2 * 3600 + 5 * 60) * 1000
    await a.handle(cmd({ staleness: { mode: 'strict', max_cache_age: '0s' } }), open())
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({ exit_code: 127, stdout: '' })
    expect(results[0].stderr).toBe('skipped: staleness policy (mode=strict) exceeded — agent has been disconnected for 2h 5m, max allowed 0s')
    expect(results[0].started_at).toBe(results[0].finished_at)
    expect(events).toHaveLength(0)
  })

  it('strict staleness within max_cache_age, or while connected, runs normally', async () => {
    const a = agent()
    a.disconnectedAt = T0 - 10_000
    const p = a.handle(cmd({ staleness: { mode: 'strict', max_cache_age: '1m' } }), open())
    await vi.runAllTimersAsync()
    await p
    expect(results[0].exit_code).toBe(0)
    expect(host.stats.stalenessSkips).toBe(0)
  })

  it('the staleness gate comes before the KV gates (they are not even read)', async () => {
    const a = agent()
    a.disconnectedAt = T0 - 60_000
    const gates = vi.fn(open())
    await a.handle(cmd({ staleness: { mode: 'strict', max_cache_age: 'garbage' } }), gates)
    expect(gates).not.toHaveBeenCalled()
    expect(results[0].exit_code).toBe(127) // malformed max_cache_age fails closed
  })

  it('sends the start event before the jitter sleep; started_at is taken before it', async () => {
    const a = agent()
    const p = a.handle(cmd({ jitter_secs: 30 }), open())
    await vi.advanceTimersByTimeAsync(0)
    expect(events).toHaveLength(1)
    expect(results).toHaveLength(0)
    await vi.runAllTimersAsync()
    await p
    expect(results[0].started_at).toBe(events[0].started_at)
    expect(Date.parse(results[0].finished_at) - T0).toBeGreaterThanOrEqual(100)
    expect(Date.parse(results[0].finished_at) - T0).toBeLessThan(30_000 + 1_000)
  })

  it('an ad-hoc run (exec_id null) sends no start event and cannot be killed', async () => {
    const a = agent()
    const watch = vi.spyOn(host, 'watchKill')
    const p = a.handle(cmd({ exec_id: null }), open())
    await vi.runAllTimersAsync()
    await p
    expect(events).toHaveLength(0)
    expect(watch).not.toHaveBeenCalled()
    expect(results[0].exec_id).toBeNull()
  })

  it('non-Windows agents do not run run_as=user scripts: exit 0 with an explanation', async () => {
    const a = agent('normal', 'linux')
    const p = a.handle(cmd({ run_as: 'user' }), open())
    await vi.runAllTimersAsync()
    await p
    expect(results[0]).toMatchObject({ exit_code: 0, stdout: '' })
    expect(results[0].stderr).toContain('only supported on Windows')
  })

  it('flaky agents fail some runs with a plausible error', async () => {
    const a = agent('flaky')
    for (let i = 0; i < 20; i++) {
      const p = a.handle(cmd(), open())
      await vi.runAllTimersAsync()
      await p
    }
    const failed = results.filter((r) => r.exit_code === 1)
    expect(failed.length).toBeGreaterThan(2)
    expect(failed.length).toBeLessThan(18)
    expect(failed[0].stderr).not.toBe('')
  })

  it('the kill / timeout note is the whole stderr when it was empty, else appended after a newline', () => {
    expect(withNote('', 'timeout after 5s')).toBe('timeout after 5s')
    expect(withNote('warn\r\n', 'timeout after 5s')).toBe('warn\r\n\ntimeout after 5s')
  })
})
