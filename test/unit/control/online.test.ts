import { afterEach, describe, expect, it } from 'vitest'
import { onlineAgents, targetCount } from '../../../src/main/core/control/targets'
import { membersOf, parseGroups } from '../../../src/main/core/control/membership'
import { tempDb } from '../../helpers/db'
import { loadFixture } from '../wire/fixtures'

const dbs: { cleanup(): void }[] = []
afterEach(() => dbs.splice(0).forEach((d) => d.cleanup()))

interface Q1Case {
  name: string
  given: { agents: { pc_id: string; last_heartbeat: string }[] }
  steps: { op: string; now?: string }[]
  expect: { executions: { target_count: number }[] }
}

describe('online agents (target.all) and membership', () => {
  it('fixture Q1: agents heard within 2 minutes of now count, the stale one does not', () => {
    const c = loadFixture<{ cases: Q1Case[] }>('projector-cases.json').cases.find((x) => x.name.startsWith('Q1:'))!
    const t = tempDb()
    dbs.push(t)
    const ins = t.db.prepare('INSERT INTO agents (pc_id, last_heartbeat, updated_at) VALUES (?, ?, ?)')
    for (const a of c.given.agents) ins.run(a.pc_id, a.last_heartbeat, a.last_heartbeat)
    const now = Date.parse(c.steps.find((s) => s.op === 'exec')!.now!)
    const online = onlineAgents(t.db, now)
    expect(online).toEqual(['pc-a', 'pc-b', 'pc-c'])
    expect(targetCount(online)).toBe(c.expect.executions[0].target_count)
  })

  it('prefers the console’s receive time over the agent clock, and reads both 0.30 timestamp shapes', () => {
    const t = tempDb()
    dbs.push(t)
    const now = Date.parse('2026-05-20T12:00:00Z')
    const ins = t.db.prepare('INSERT INTO agents (pc_id, last_heartbeat, last_seen_at, updated_at) VALUES (?, ?, ?, ?)')
    ins.run('skewed-fast', '2026-05-20T13:00:00Z', '2026-05-20T11:50:00.000Z', 'x') // agent clock ahead, not heard lately
    ins.run('skewed-slow', '2026-05-20T10:00:00Z', '2026-05-20T11:59:00.000Z', 'x') // agent clock behind, heard now
    ins.run('legacy-text', '2026-05-20 11:59:30', null, 'x')
    ins.run('offset-form', '2026-05-20T20:59:00+09:00', null, 'x')
    ins.run('never', null, null, 'x')
    expect(onlineAgents(t.db, now)).toEqual(['legacy-text', 'offset-form', 'skewed-slow'])
  })

  it('target_count is at least 1', () => {
    expect(targetCount([])).toBe(1)
    expect(targetCount(['a', 'b'])).toBe(2)
  })

  it('reads agent_groups in both shapes; an undecodable value is no groups', () => {
    expect(parseGroups('{"groups":["canary","wave1"],"set_by":"admin"}')).toEqual(['canary', 'wave1'])
    expect(parseGroups('["canary","wave1"]')).toEqual(['canary', 'wave1'])
    expect(parseGroups('not json')).toEqual([])
    const m = new Map([
      ['pc-1', ['canary']],
      ['pc-2', ['wave1', 'canary']],
      ['pc-3', []],
    ])
    expect(membersOf(m, ['canary'])).toEqual(['pc-1', 'pc-2'])
    expect(membersOf(m, ['wave1', 'nope'])).toEqual(['pc-2'])
  })
})
