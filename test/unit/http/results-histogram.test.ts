import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ResultsHistogram } from '../../../src/shared/api/results'
import { resultStatus } from '../../../src/main/core/queries/results'
import { resultsHistogram } from '../../../src/main/core/queries/results-histogram'
import { toCanonical } from '../../../src/shared/time'
import { insertResult, NOW, testApi, type TestApi } from './helpers'

// GET /api/results/histogram: results per bucket of recorded_at, counted in SQL, with the same
// status rule as the result rows.

const H = 3_600_000
let t: TestApi
beforeAll(async () => {
  t = await testApi()
})
afterAll(async () => t.close())

const get = async (qs: string) => t.app.inject({ method: 'GET', url: `/api/results/histogram${qs}` })

describe('results histogram', () => {
  it('counts success / failure / running per hour over the last 24 h (current hour included) by default, zeros included', async () => {
    const row = (id: string, offsetMs: number, exit: number | null, finished = exit !== null) =>
      insertResult(t.db, { result_id: id, pc_id: 'PC-1', recorded_at: toCanonical(NOW + offsetMs), exit_code: exit, finished_at: finished ? toCanonical(NOW + offsetMs) : null })
    row('ok-now', 0, 0) // NOW = 12:00:00.000 exactly: the bucket starting at 12:00
    row('bad-now', 59 * 60_000, 2)
    row('run-now', 30 * 60_000, null)
    row('exit-unfinished', 10 * 60_000, 0, false) // an exit code without finished_at is still running
    row('ok-11', -1, 0) // 11:59:59.999
    row('old', -25 * H, 1) // outside the window
    const res = await get('')
    expect(res.statusCode).toBe(200)
    const h = ResultsHistogram.parse(res.json())
    expect(h.bucket_secs).toBe(3600)
    expect(h.since).toBe('2026-05-19T13:00:00.000Z')
    expect(h.until).toBe('2026-05-20T13:00:00.000Z') // the end of the current hour
    expect(h.buckets).toHaveLength(24)
    expect(h.buckets.at(-1)).toEqual({ start: '2026-05-20T12:00:00.000Z', success: 1, failure: 1, running: 2 })
    expect(h.buckets.at(-2)).toEqual({ start: '2026-05-20T11:00:00.000Z', success: 1, failure: 0, running: 0 })
    expect(h.buckets.slice(0, -2).every((b) => b.success + b.failure + b.running === 0)).toBe(true)
    expect(h.total).toBe(5)
    const quarter = ResultsHistogram.parse((await get('?bucket=15m')).json())
    expect(quarter.buckets).toHaveLength(96)
    expect(quarter.until).toBe('2026-05-20T12:15:00.000Z')

    const wide = ResultsHistogram.parse((await get(`?since=2026-05-20T11:30:00Z&until=2026-05-20T12:59:00Z&bucket=30m`)).json())
    expect(wide.since).toBe('2026-05-20T11:30:00.000Z')
    expect(wide.until).toBe('2026-05-20T13:00:00.000Z') // rounded up to the bucket boundary
    expect(wide.buckets).toEqual([
      { start: '2026-05-20T11:30:00.000Z', success: 1, failure: 0, running: 0 },
      { start: '2026-05-20T12:00:00.000Z', success: 1, failure: 0, running: 1 },
      { start: '2026-05-20T12:30:00.000Z', success: 0, failure: 1, running: 1 },
    ])
    expect(wide.total).toBe(5)
  })

  it('refuses a bad bucket, an empty range and too many buckets, naming the field', async () => {
    for (const [qs, field] of [
      ['?bucket=5s', 'bucket'],
      ['?bucket=0m', 'bucket'],
      ['?bucket=hour', 'bucket'],
      ['?since=2026-05-20T12:00:00Z&until=2026-05-20T11:00:00Z', 'since'],
      ['?since=2026-01-01T00:00:00Z&until=2026-05-20T00:00:00Z&bucket=1m', 'bucket'],
      ['?since=yesterday', 'since'],
    ]) {
      const res = await get(qs)
      expect(res.statusCode, qs).toBe(400)
      expect((res.json() as { message: string }).message, qs).toContain(field)
    }
  })

  it('agrees with counting the rows one by one (random rows, buckets and ranges)', () => {
    const fresh = t.db
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: -3 * H, max: 3 * H }), exit: fc.option(fc.integer({ min: -1, max: 3 })), finished: fc.boolean() }), { maxLength: 60 }),
        fc.constantFrom(60, 300, 900, 3600, 7200),
        fc.integer({ min: -4 * H, max: 0 }),
        fc.integer({ min: 1, max: 5 * H }),
        (rows, bucketSecs, sinceOff, span) => {
          fresh.prepare('DELETE FROM execution_results').run()
          rows.forEach((r, i) =>
            insertResult(fresh, { result_id: `r${i}`, pc_id: 'p', recorded_at: toCanonical(NOW + r.at), exit_code: r.exit, finished_at: r.finished ? toCanonical(NOW + r.at) : null }),
          )
          const h = resultsHistogram(fresh, { since: toCanonical(NOW + sinceOff), until: toCanonical(NOW + sinceOff + span), bucketSecs }, NOW)
          const w = bucketSecs * 1000
          const first = Date.parse(h.since)
          const want = h.buckets.map((b) => ({ ...b, success: 0, failure: 0, running: 0 }))
          for (const r of rows) {
            const ms = NOW + r.at
            if (ms < first || ms >= Date.parse(h.until)) continue
            const s = resultStatus({ exit_code: r.exit, finished_at: r.finished ? 'x' : null })
            want[Math.floor((ms - first) / w)][s]++
          }
          expect(h.buckets).toEqual(want)
          expect(h.total).toBe(want.reduce((n, b) => n + b.success + b.failure + b.running, 0))
        },
      ),
      { numRuns: 60 },
    )
    fresh.prepare('DELETE FROM execution_results').run()
  })
})
