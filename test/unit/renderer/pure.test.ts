import { describe, expect, it } from 'vitest'
import { fillPath, toSearch } from '../../../src/renderer/src/api/url'
import { toCsv } from '../../../src/renderer/src/api/csv'
import { buildCron, cronFields } from '../../../src/renderer/src/pages/schedules/cronHelper'
import { blastRadius, fanoutBody, type Plan } from '../../../src/renderer/src/pages/exec/blastRadius'
import { groupOutputs } from '../../../src/renderer/src/pages/executions/outputGroups'
import { chartRows, chartWindow, HOUR } from '../../../src/renderer/src/pages/dashboard/buckets'
import { STALE_ON } from '../../../src/renderer/src/api/domains'

// Pure helpers of the dashboard: request building, CSV, cron helper, blast radius, output
// grouping, chart window, push events → stale reads.

describe('request building', () => {
  it('fills fastify-style path parameters, encoding them', () => {
    expect(fillPath('/api/agents/:pc_id/groups/:group', { pc_id: 'PC 1/x', group: 'a&b' })).toBe('/api/agents/PC%201%2Fx/groups/a%26b')
    expect(() => fillPath('/api/agents/:pc_id', {})).toThrow(/pc_id/)
  })
  it('drops empty query values and joins arrays', () => {
    expect(toSearch({ a: '', b: undefined, c: null, d: 0, e: false, f: ['x', 'y'], g: [] })).toBe('?d=0&e=false&f=x%2Cy')
    expect(toSearch({})).toBe('')
  })
})

describe('CSV', () => {
  it('quotes commas, quotes and new lines, and unions the columns', () => {
    const text = toCsv([{ a: 'x,y', b: 'say "hi"' }, { a: 'line\nbreak', c: { n: 1 } }])
    expect(text).toBe('a,b,c\r\n"x,y","say ""hi""",\r\n"line\nbreak",,"{""n"":1}"\r\n')
  })
})

describe('cron helper', () => {
  it('writes six-field crons for each choice', () => {
    expect(buildCron({ kind: 'minutes', every: 15 })).toBe('0 */15 * * * *')
    expect(buildCron({ kind: 'hourly', minute: 5 })).toBe('0 5 * * * *')
    expect(buildCron({ kind: 'daily', time: '09:30' })).toBe('0 30 9 * * *')
    expect(buildCron({ kind: 'weekdays', time: '08:00' })).toBe('0 0 8 * * MON-FRI')
    expect(buildCron({ kind: 'weekly', day: 'SUN', time: '23:59' })).toBe('0 59 23 * * SUN')
    expect(buildCron({ kind: 'minutes', every: 500 })).toBe('0 */59 * * * *')
  })
  it('splits a cron into its fields', () => {
    expect(cronFields('  0  */5 * * * *  ')).toEqual(['0', '*/5', '*', '*', '*', '*'])
  })
})

describe('blast radius', () => {
  const members = new Map([
    ['canary', ['a', 'b']],
    ['wave1', ['b', 'c', 'd']],
  ])
  const online = new Set(['a', 'c'])
  const plan = (p: Partial<Plan>): Plan => ({ mode: 'all', groups: [], pcs: [], waves: [], ...p })
  it('counts group members once, online or not, and lists the offline ones', () => {
    expect(blastRadius(plan({ mode: 'groups', groups: ['canary', 'wave1'] }), members, online)).toEqual({ pcs: ['a', 'b', 'c', 'd'], offline: ['b', 'd'], all: false })
  })
  it('uses the wave groups instead of the targets when waves are set', () => {
    const b = blastRadius(plan({ mode: 'pcs', pcs: ['zzz'], waves: [{ group: 'canary', delay: '0s' }, { group: ' ', delay: '1h' }] }), members, online)
    expect(b.pcs).toEqual(['a', 'b'])
  })
  it('counts the PCs online now for all', () => {
    expect(blastRadius(plan({ mode: 'all' }), members, online)).toEqual({ pcs: ['a', 'c'], offline: [], all: true })
  })
  it('builds the FanoutPlan body', () => {
    expect(fanoutBody(plan({ mode: 'groups', groups: ['canary'] }), ' 30s ', '')).toEqual({ target: { all: false, groups: ['canary'], pcs: [] }, rollout: undefined, jitter: '30s', deadline_at: undefined })
    expect(fanoutBody(plan({ mode: 'all', waves: [{ group: 'canary', delay: '' }] }), '', '2026-01-01T00:00:00.000Z')).toEqual({
      target: { all: false, groups: [], pcs: [] },
      rollout: { strategy: 'wave', waves: [{ group: 'canary', delay: '0s' }] },
      jitter: undefined,
      deadline_at: '2026-01-01T00:00:00.000Z',
    })
  })
})

describe('identical outputs', () => {
  it('groups finished results by exit code and trimmed output, biggest first', () => {
    const r = (pc: string, exit: number | null, stdout: string, status = exit === 0 ? 'success' : exit === null ? 'running' : 'failure') => ({ result_id: `r-${pc}`, pc_id: pc, exit_code: exit, status, stdout, stderr: '' })
    const groups = groupOutputs([r('a', 0, 'ok\r\n'), r('b', 0, 'ok\n'), r('c', 1, 'ok'), r('d', 0, 'other'), r('e', null, '')])
    expect(groups.map((g) => [g.exitCode, g.output, g.pcs])).toEqual([
      [0, 'ok', ['a', 'b']],
      [0, 'other', ['d']],
      [1, 'ok', ['c']],
    ])
  })
})

describe('chart window', () => {
  it('asks for the last 24 whole hours, the current one included, stable within the hour', () => {
    const w = chartWindow(Date.UTC(2026, 0, 2, 10, 30))
    expect(w).toEqual({ since: new Date(Date.UTC(2026, 0, 1, 11)).toISOString(), until: new Date(Date.UTC(2026, 0, 2, 11)).toISOString() })
    expect(chartWindow(Date.UTC(2026, 0, 2, 10, 59, 59, 999))).toEqual(w)
    expect((Date.parse(w.until) - Date.parse(w.since)) / HOUR).toBe(24)
    const rows = chartRows({ buckets: [{ start: '2026-01-02T10:00:00.000Z', success: 2, failure: 1, running: 0 }] })
    expect(rows).toEqual([{ start: Date.UTC(2026, 0, 2, 10), success: 2, failure: 1, running: 0 }])
  })
})

describe('push events → stale reads', () => {
  it('an agent crossing the online window refreshes the roster and the health tiles once', () => {
    expect(STALE_ON['agents.changed']).toEqual(expect.arrayContaining(['agents', 'health']))
    // agents.offline always comes with an agents.changed: refreshing twice would be waste.
    expect(STALE_ON['agents.offline']).toEqual([])
  })
})
