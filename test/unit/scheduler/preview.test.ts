import { afterEach, describe, expect, it } from 'vitest'
import { nextFires } from '../../../src/main/core/scheduler/cron'
import { previewCron } from '../../../src/main/core/scheduler/preview'
import { toCanonical } from '../../../src/shared/time'
import { NOW, testApi, type TestApi } from '../http/helpers'
import { harness, manifest, type Harness } from './driver-support'

// The schedule editor's preview: POST /api/schedules/preview computes the next fires of an
// unsaved cron (or says why it is invalid, in the words of a save), and GET
// /api/schedules/upcoming?schedule_id= narrows the scheduler's upcoming fires to one schedule.

let t: TestApi | null = null
let h: Harness | null = null
afterEach(async () => {
  await t?.close()
  await h?.driver.stop()
  h?.cleanup()
  t = null
  h = null
})

describe('previewCron', () => {
  it('gives the next fires in the zone, the same instants the scheduler computes', () => {
    const p = previewCron('0 30 9 * * MON-FRI', 'Asia/Tokyo', 3, NOW) // NOW = Wed 2026-05-20 12:00Z
    expect(p).toEqual({
      ok: true,
      cron: '0 30 9 * * MON-FRI',
      tz: 'Asia/Tokyo',
      fires: ['2026-05-21T00:30:00.000Z', '2026-05-22T00:30:00.000Z', '2026-05-25T00:30:00.000Z'],
    })
    expect(p.fires).toEqual(nextFires('0 30 9 * * MON-FRI', NOW, 3, 'Asia/Tokyo').map(toCanonical))
    expect(previewCron('0 0 * * * *', undefined, 2, NOW)).toMatchObject({ tz: 'UTC', fires: ['2026-05-20T13:00:00.000Z', '2026-05-20T14:00:00.000Z'] })
    expect(previewCron('0 0 0 1 1 * 2020', null, 5, NOW).fires).toEqual([]) // valid, but its years are over
  })

  it('rejects what a save would reject, with the same reason', () => {
    expect(() => previewCron('*/5 * * * *', 'UTC', 3, NOW)).toThrow(/^invalid cron: '\*\/5 \* \* \* \*' has 5 fields; .*e\.g\. '0 \*\/5 \* \* \* \*'/)
    expect(() => previewCron('0 * * * * *', 'Mars/Olympus', 3, NOW)).toThrow(/unknown time zone 'Mars\/Olympus'/)
    expect(() => previewCron('0 61 * * * *', 'UTC', 3, NOW)).toThrow(/^invalid cron: /)
  })
})

describe('POST /api/schedules/preview', () => {
  it('answers {ok, fires} for a valid draft and 400 with the reason for an invalid one; allowed in review', async () => {
    t = await testApi({ readonly: true })
    const ok = await t.app.inject({ method: 'POST', url: '/api/schedules/preview', payload: { cron: '0 */15 * * * *', tz: 'Europe/Berlin' } })
    expect(ok.statusCode).toBe(200)
    const body = ok.json() as { ok: boolean; fires: string[]; tz: string }
    expect(body).toMatchObject({ ok: true, tz: 'Europe/Berlin' })
    expect(body.fires).toHaveLength(10) // default count
    expect(body.fires[0]).toBe('2026-05-20T12:15:00.000Z')
    const bad = await t.app.inject({ method: 'POST', url: '/api/schedules/preview', payload: { cron: '* * * * *', count: 3 } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/^invalid cron: .*has 5 fields/) })
    const tooMany = await t.app.inject({ method: 'POST', url: '/api/schedules/preview', payload: { cron: '0 * * * * *', count: 1000 } })
    expect(tooMany.statusCode).toBe(400)
    expect((tooMany.json() as { message: string }).message).toContain('count')
  })
})

describe('GET /api/schedules/upcoming?schedule_id=', () => {
  it('lists the fires of that schedule only', async () => {
    h = harness(NOW)
    h.manifests.set('job-a', manifest('job-a'))
    h.schedules.put('minutely', { id: 'minutely', cron: '0 * * * * *', job_id: 'job-a', target: { all: true } })
    h.schedules.put('tokyo', { id: 'tokyo', cron: '0 5 21 * * *', job_id: 'job-a', target: { all: true }, tz: 'Asia/Tokyo' })
    await h.driver.start()
    expect(h.driver.upcoming(3, 'tokyo').map((f) => f.fire_at)).toEqual(['2026-05-20T12:05:00.000Z', '2026-05-21T12:05:00.000Z', '2026-05-22T12:05:00.000Z'])
    t = await testApi()
    t.core.subsystems.set('scheduler', h.driver)
    const res = await t.app.inject({ method: 'GET', url: '/api/schedules/upcoming?schedule_id=tokyo&limit=2' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      { schedule_id: 'tokyo', job_id: 'job-a', fire_at: '2026-05-20T12:05:00.000Z' },
      { schedule_id: 'tokyo', job_id: 'job-a', fire_at: '2026-05-21T12:05:00.000Z' },
    ])
    const all = (await t.app.inject({ method: 'GET', url: '/api/schedules/upcoming?limit=2' })).json() as { schedule_id: string }[]
    expect(all.map((f) => f.schedule_id)).toEqual(['minutely', 'minutely'])
    expect((await t.app.inject({ method: 'GET', url: '/api/schedules/upcoming?schedule_id=nope' })).json()).toEqual([])
    t.core.subsystems.delete('scheduler')
  })
})
