import { afterAll, beforeAll, expect, it } from 'vitest'
import { startDemo, type DemoHandle } from '../../../src/main/sim/demo'
import { silentLogger } from '../../../src/main/core/log'
import { tempDir } from '../../helpers/db'

// `kanade-console demo` in-process: console + embedded broker + 25 agents + the samples,
// answered over its own HTTP API with the token it reports.

let demo: DemoHandle
const data = tempDir('kanade-demo-')

beforeAll(async () => {
  demo = await startDemo({ flags: { 'data-dir': data.dir, bind: '127.0.0.1:0', heartbeat: '30s', 'exec-ms': '50,200' }, log: silentLogger })
})

afterAll(async () => {
  await demo?.stop()
  data.cleanup()
})

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${demo.token}` } })
  expect(res.status).toBe(200)
  return (await res.json()) as T
}

it('brings up 25 agents in canary / wave1 / wave2 with sample jobs, schedules and execs', async () => {
  expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(demo.token).toBeTruthy()
  const groups = demo.fleet.agents.map((a) => a.groups.join(','))
  expect(new Set(groups)).toEqual(new Set(['canary', 'wave1', 'wave2']))

  const agents = await api<{ pc_id: string }[]>('/api/agents?limit=100')
  expect(agents).toHaveLength(25)
  const jobs = await api<{ id: string }[]>('/api/jobs')
  expect(jobs.map((j) => j.id)).toEqual(expect.arrayContaining(['hello', 'inventory-hw', 'disk-cleanup', 'vpn-client-check']))
  const schedules = await api<{ id: string }[]>('/api/schedules')
  expect(schedules.length).toBeGreaterThanOrEqual(4)

  const execs = await api<{ job_id: string; target_count: number }[]>('/api/executions')
  expect(execs.find((e) => e.job_id === 'inventory-hw')?.target_count).toBe(25)

  // The inventory exec lands as inventory facts (slow agents take a few seconds more).
  const until = Date.now() + 20_000
  let rows: unknown[] = []
  while (Date.now() < until) {
    rows = (await api<{ rows: unknown[] }>('/api/inventory/by-job/inventory-hw')).rows
    if (rows.length >= 20) break
    await new Promise((r) => setTimeout(r, 250))
  }
  expect(rows.length).toBeGreaterThanOrEqual(20)
  // The failing sample job fails on the canaries.
  const failed = async () => (await api<{ job_id: string }[]>('/api/results?status=failure&limit=50')).some((r) => r.job_id === 'vpn-client-check')
  await expect.poll(failed, { timeout: 10_000 }).toBe(true)
  expect(demo.console.core.config.dataDir).toBe(data.dir)
})
