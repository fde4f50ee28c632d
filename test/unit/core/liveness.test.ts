import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PushEvent } from '../../../src/shared/events'
import { toCanonical } from '../../../src/shared/time'
import { LivenessWatcher } from '../../../src/main/core/liveness'
import type { CoreServices } from '../../../src/main/core/services'
import { insertAgent, makeCore } from '../http/helpers'

// The liveness watcher announces exactly the agents crossing the online window, when they
// cross it, with one timer armed for the next crossing (fake timers drive the clock).

const T0 = Date.parse('2026-05-20T12:00:00.000Z')
const S = 1000
const W = 120 * S

let ctx: ReturnType<typeof makeCore>
let core: CoreServices
let events: PushEvent[]
let watcher: LivenessWatcher

const seen = (pc: string, ms: number) => {
  const r = core.db.prepare('UPDATE agents SET last_seen_at = ? WHERE pc_id = ?').run(toCanonical(ms), pc)
  if (!r.changes) insertAgent(core.db, { pc_id: pc, last_seen_at: toCanonical(ms) })
}
const offline = () => events.filter((e) => e.type === 'agents.offline').map((e) => (e.data as { pc_ids: string[] }).pc_ids)

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
  ctx = makeCore({ now: () => Date.now() })
  core = ctx.core
  events = []
  core.bus.subscribe((e) => events.push(e))
})

afterEach(async () => {
  await watcher?.stop()
  vi.useRealTimers()
  ctx.cleanup()
})

describe('liveness watcher', () => {
  it('announces each agent once, at its crossing, and not those already offline at start', async () => {
    seen('A', T0 - 100 * S) // crosses at T0 + 20 s + 1 ms
    seen('B', T0 - 30 * S) // crosses at T0 + 90 s + 1 ms
    seen('C', T0 - 200 * S) // already offline: not news
    watcher = new LivenessWatcher(core, { graceMs: 0 })
    watcher.start()
    expect(watcher.armedAt).toBe(T0 + 20 * S + 1)

    await vi.advanceTimersByTimeAsync(20 * S)
    expect(offline()).toEqual([]) // exactly 2 minutes: still online
    await vi.advanceTimersByTimeAsync(1)
    expect(offline()).toEqual([['A']])
    expect(events.filter((e) => e.type === 'agents.changed')).toEqual([{ type: 'agents.changed', data: { pc_ids: ['A'] } }])
    expect(watcher.armedAt).toBe(T0 + 90 * S + 1)

    await vi.advanceTimersByTimeAsync(70 * S + 1)
    expect(offline()).toEqual([['A'], ['B']])
    expect(watcher.armedAt).toBeNull() // nobody online: no timer at all
    expect(watcher.wakeups).toBe(2)
  })

  it('a heartbeat that moved the earliest agent makes the wake-up find nothing and re-arm later', async () => {
    seen('A', T0 - 60 * S)
    watcher = new LivenessWatcher(core, { graceMs: 0 })
    watcher.start()
    expect(watcher.armedAt).toBe(T0 + 60 * S + 1)
    await vi.advanceTimersByTimeAsync(30 * S)
    seen('A', Date.now()) // a beat at T0 + 30 s: crossing moves to T0 + 150 s
    await vi.advanceTimersByTimeAsync(30 * S + 1)
    expect(offline()).toEqual([])
    expect(watcher.armedAt).toBe(T0 + 150 * S + 1)
    await vi.advanceTimersByTimeAsync(90 * S)
    expect(offline()).toEqual([['A']])
  })

  it('agents crossing at the same instant are announced together, sorted', async () => {
    for (const pc of ['PC-3', 'PC-1', 'PC-2']) seen(pc, T0 - 119 * S)
    watcher = new LivenessWatcher(core, { graceMs: 0 })
    watcher.start()
    await vi.advanceTimersByTimeAsync(1 * S + 1)
    expect(offline()).toEqual([['PC-1', 'PC-2', 'PC-3']])
  })

  it('with nobody online it sleeps; a new agent (agents.changed from the projector) arms it', async () => {
    watcher = new LivenessWatcher(core, { graceMs: 0 })
    watcher.start()
    expect(watcher.armedAt).toBeNull()
    await vi.advanceTimersByTimeAsync(10 * 60 * S)
    expect(watcher.wakeups).toBe(0)
    seen('NEW', Date.now())
    core.bus.emit('agents.changed', { pc_ids: ['NEW'] })
    expect(watcher.armedAt).toBe(Date.now() + W + 1)
    await vi.advanceTimersByTimeAsync(W + 1)
    expect(offline()).toEqual([['NEW']])
  })

  it('a fleet heartbeating every 30 s costs a few wake-ups, not one per heartbeat, and nobody is announced', async () => {
    const pcs = Array.from({ length: 200 }, (_, i) => `PC-${String(i).padStart(3, '0')}`)
    pcs.forEach((pc, i) => seen(pc, T0 - (i % 30) * S))
    watcher = new LivenessWatcher(core, { graceMs: 0 })
    watcher.start()
    // Ten minutes of beats: each PC every 30 s, staggered by its index.
    for (let s = 1; s <= 600; s++) {
      await vi.advanceTimersByTimeAsync(S)
      pcs.forEach((pc, i) => {
        if ((s + i) % 30 === 0) seen(pc, Date.now())
      })
    }
    expect(offline()).toEqual([])
    // The earliest crossing is always ≥ 90 s away: at most one wake-up per 90 s.
    expect(watcher.wakeups).toBeLessThanOrEqual(Math.ceil(600 / 90))
    // Now one PC stops: announced alone, 2 minutes after its last beat.
    const quiet = pcs[17]
    const last = Date.parse((core.db.prepare('SELECT last_seen_at AS s FROM agents WHERE pc_id = ?').get(quiet) as { s: string }).s)
    for (let s = 1; s <= 150; s++) {
      await vi.advanceTimersByTimeAsync(S)
      pcs.forEach((pc, i) => {
        if (pc !== quiet && (600 + s + i) % 30 === 0) seen(pc, Date.now())
      })
      if (Date.now() === last + W) expect(offline()).toEqual([])
    }
    expect(offline()).toEqual([[quiet]])
  })

  it('judges 1.5 s behind the clock, so a beat received just before the crossing and written by the next flush counts', async () => {
    seen('A', T0 - 100 * S) // crosses at T0 + 20 s + 1 ms
    seen('B', T0 - 100 * S + 500)
    watcher = new LivenessWatcher(core)
    watcher.start()
    expect(watcher.armedAt).toBe(T0 + 20 * S + 1 + 1500)
    await vi.advanceTimersByTimeAsync(20 * S + 800)
    // A beat received at T0 + 19.9 s reaches the table with the flush at T0 + 20.8 s.
    seen('A', T0 + 19_900)
    await vi.advanceTimersByTimeAsync(1_200)
    expect(offline()).toEqual([]) // B crossed at T0 + 20.5 s: judged only from T0 + 22 s
    await vi.advanceTimersByTimeAsync(500)
    expect(offline()).toEqual([['B']])
  })

  it('honours a shorter window and stops cleanly', async () => {
    seen('A', T0)
    watcher = new LivenessWatcher(core, { windowMs: 5 * S, graceMs: 0 })
    watcher.start()
    expect(watcher.armedAt).toBe(T0 + 5 * S + 1)
    await watcher.stop()
    expect(watcher.armedAt).toBeNull()
    await vi.advanceTimersByTimeAsync(10 * S)
    expect(offline()).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})
