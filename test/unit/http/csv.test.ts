import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cellText, guardCell } from '../../../src/main/core/http/csv'
import { insertAgent, insertResult, iso, testApi, type TestApi } from './helpers'
import { CSV_ROWS, testHandlers, testOps } from './test-ops'

// CSV export of list routes, parsed back with csv-parse.

let t: TestApi
let real: TestApi
beforeAll(async () => {
  t = await testApi({ operations: testOps, handlers: testHandlers })
  real = await testApi()
  insertAgent(real.db, { pc_id: 'pc-01', hostname: '=cmd|calc', agent_version: '0.30.0', last_seen_at: iso(-1000), last_heartbeat: iso(-1000) })
  insertAgent(real.db, { pc_id: 'pc-02', hostname: 'plain', last_seen_at: iso(-999_999) })
  insertResult(real.db, { result_id: 'r1', pc_id: 'pc-01', exit_code: -1, stdout: 'a,b\n"c"', finished_at: iso() })
})
afterAll(async () => {
  await t.close()
  await real.close()
})

const BOM = '\uFEFF'

function parseCsv(body: string): string[][] {
  expect(body.startsWith(BOM)).toBe(true)
  return parse(body.slice(BOM.length), { relax_column_count: false }) as string[][]
}

describe('CSV export', () => {
  it('?format=csv: BOM, header row from the schema, RFC 4180 quoting, CRLF, guarded formulas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/t/rows?format=csv' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename="rows.csv"')
    expect(res.headers['x-total-count']).toBe('17')
    expect(res.headers['x-online-count']).toBe('2')
    expect(res.body.split('\r\n')[0]).toBe(`${BOM}id,text,nested,when`)
    const rows = parseCsv(res.body)
    expect(rows[0]).toEqual(['id', 'text', 'nested', 'when'])
    expect(rows.slice(1)).toEqual([
      ['1', `'=HYPERLINK("http://evil")`, '{"a":[1,2]}', '2026-05-20T12:00:00.000Z'],
      ['-2', 'line one\r\nline "two", with comma', '', ''],
      ['3', "'+1", "'-cmd", ''],
      ['4', "'@SUM(A1)", '["x"]', ''],
      ['5', "'\tTAB", 'plain', ''],
      ['6', 'ユニコード ✓', '0', ''],
      ['7', '', 'true', ''],
    ])
    expect(rows.slice(1)).toHaveLength(CSV_ROWS.length)
  })

  it('Accept: text/csv selects CSV too; format=json wins over Accept', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/t/rows', headers: { accept: 'text/csv' } })
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    const j = await t.app.inject({ method: 'GET', url: '/api/t/rows?format=json', headers: { accept: 'text/csv' } })
    expect(j.headers['content-type']).toMatch(/^application\/json/)
  })

  it('an empty list still has its header row', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/t/rows?format=csv&empty=true' })
    expect(parseCsv(res.body)).toEqual([['id', 'text', 'nested', 'when']])
  })

  it('real routes: agents and results export with their columns', async () => {
    const agents = parseCsv((await real.app.inject({ method: 'GET', url: '/api/agents?format=csv&sort=pc_id' })).body)
    expect(agents[0]).toEqual(['pc_id', 'hostname', 'os_family', 'agent_version', 'last_heartbeat', 'updated_at', 'last_seen_at', 'online', 'clock_skew_ms', 'groups'])
    expect(agents[1].slice(0, 4)).toEqual(['pc-01', "'=cmd|calc", '', '0.30.0'])
    expect(agents[1][7]).toBe('true')
    expect(agents[2][7]).toBe('false')
    const results = parseCsv((await real.app.inject({ method: 'GET', url: '/api/results', headers: { accept: 'text/csv' } })).body)
    const col = (name: string) => results[0].indexOf(name)
    expect(results[1][col('exit_code')]).toBe('-1')
    expect(results[1][col('stdout')]).toBe('a,b\n"c"')
    expect(results[1][col('status')]).toBe('failure')
  })

  it('guards exactly the formula starters', () => {
    for (const s of ['=1', '+1', '-1', '@x', '\tx', '\rx']) expect(guardCell(s)).toBe(`'${s}`)
    for (const s of ['1', 'a=b', ' =x', "'x", '']) expect(guardCell(s)).toBe(s)
    expect(cellText(-5)).toBe('-5')
    expect(cellText(null)).toBe('')
  })
})
