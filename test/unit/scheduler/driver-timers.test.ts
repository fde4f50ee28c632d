import { afterEach, expect, it } from 'vitest'
import { isTick } from '../../../src/main/core/scheduler/cron'
import { readState } from '../../../src/main/core/scheduler/state'
import { harness, manifest, type Harness } from './driver-support'

// The driver with real node-schedule timers: jobs are armed with the 6-field rule, their
// fires go through tick(), and a rule node-schedule refuses (it returns null) is reported.

let h: Harness
afterEach(async () => {
  await h.driver.stop()
  h.cleanup()
})

const sched = (extra: Record<string, unknown> = {}) => ({
  id: 'every-second',
  cron: '* * * * * *',
  job_id: 'job-a',
  target: { all: true },
  ...extra,
})

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
}

it('fires node-schedule ticks at whole seconds through tick(), and stops when disabled live', async () => {
  h = harness(Date.now(), { timers: true, clock: Date.now })
  h.manifests.set('job-a', manifest('job-a'))
  h.schedules.put('every-second', sched())
  await h.driver.start()
  await until(() => h.dispatched.length > 0, 3000)
  expect(h.dispatched.length).toBeGreaterThan(0)
  const tick = h.dispatched[0].tickMs
  expect(tick % 1000).toBe(0)
  expect(isTick('* * * * * *', tick)).toBe(true)

  h.schedules.put('every-second', sched({ enabled: false }))
  await h.driver.idle()
  const count = h.dispatched.length
  await new Promise((r) => setTimeout(r, 1100))
  expect(h.dispatched.length).toBe(count)
  expect(h.driver.isArmed('every-second')).toBe(false)
})

it('reports a rule node-schedule refuses (null) as invalid instead of ignoring it', async () => {
  h = harness(Date.parse('2026-05-20T12:00:00Z'), { timers: true, scheduleJob: () => null })
  h.schedules.put('every-second', sched())
  await h.driver.start()
  expect(h.driver.isArmed('every-second')).toBe(false)
  const reason = "node-schedule rejected the rule '* * * * * *' in time zone UTC"
  expect(h.driver.states()[0]).toMatchObject({ status: 'invalid', invalid_reason: reason })
  expect(readState(h.db, 'every-second')?.invalid_reason).toBe(reason)
})
