// Bad input on the HTTP API with a live broker (issue 10): the whole console (projectors,
// control plane, scheduler…) against a real nats-server; random requests on every /api route
// never get an unplanned 5xx, and the server keeps answering. The broker-less variant is
// test/unit/property/api-routes.test.ts; both share the request generator and the rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { loadConfig } from '../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../src/main/core/console'
import { silentLogger } from '../../src/main/core/log'
import { defaultSubsystems } from '../../src/main/core/subsystems'
import { operations } from '../../src/shared/api/index'
import type { OperationDef } from '../../src/shared/api/op'
import { startTestNats, type TestNats } from '../helpers/nats'
import { tempDir } from '../helpers/db'
import { apiRequest, checkAnswer } from '../unit/property/api-requests'

// Operations whose contract is to wait for an agent (run: timeout_secs + 10 s; ping; logs):
// a valid random request may legitimately still be waiting when we stop looking.
const WAITS_FOR_AGENT = new Set(['runScript', 'pingAgent', 'agentLogs'])
const RUNS = Number(process.env.PROPERTY_RUNS_PER_ROUTE ?? 12)

let nats: TestNats
let data: ReturnType<typeof tempDir>
let app: RunningConsole | null = null

beforeAll(async () => {
  nats = await startTestNats()
  data = tempDir('kc-fuzz-')
  const config = loadConfig({ 'nats-url': nats.url, 'data-dir': data.dir, bind: '127.0.0.1:0' }, { KANADE_AUTH_DISABLE: '1' })
  app = await startConsole(config, { subsystems: defaultSubsystems(config), log: silentLogger })
  // Something to find: a job and an exec of it.
  const inject = app.http!.app.inject.bind(app.http!.app)
  const job = await inject({
    method: 'POST',
    url: '/api/jobs',
    payload: { id: 'job-1', version: '1.0.0', execute: { shell: 'powershell', script: 'hostname', timeout: '30s' } },
  })
  expect(job.statusCode).toBeLessThan(300)
})
afterAll(async () => {
  await app?.stop()
  await nats?.stop()
  data?.cleanup()
})

const entries = Object.entries(operations as Record<string, OperationDef>)

describe('every /api route with a live broker', () => {
  it.each(entries.map(([name, def]) => [`${def.method} ${def.path}`, name, def] as const))(
    '%s: random requests, no unplanned 5xx',
    { timeout: 60_000 },
    async (_label, name, def) => {
      const server = app!.http!.app
      await fc.assert(
        fc.asyncProperty(apiRequest(def), async (req) => {
          const answer = server.inject(req)
          const res = await Promise.race([answer, new Promise<null>((r) => setTimeout(() => r(null), 3_000))])
          if (res === null) {
            expect(WAITS_FOR_AGENT.has(name), `${name} gave no answer within 3 s: ${req.method} ${String(req.url)}`).toBe(true)
            answer.catch(() => {})
            return
          }
          // No agent on the subject: the agent-facing routes answer 502 bad_gateway, by design.
          if (WAITS_FOR_AGENT.has(name) && res.statusCode === 502 && res.json().error === 'bad_gateway') return
          checkAnswer(name, def, req, res, { natsUp: true })
        }),
        { numRuns: RUNS },
      )
      const health = await server.inject({ method: 'GET', url: '/health' })
      expect(health.statusCode).toBe(200)
    },
  )
})

describe('ids NATS KV cannot hold', () => {
  it('an agent whose pc_id has a space lists fine, and its inventory and jobs lookups are 2xx/4xx', { timeout: 30_000 }, async () => {
    const server = app!.http!.app
    // A heartbeat with a pc_id no KV key can be (kanade's wire type allows any string).
    const nc = await nats.client()
    nc.publish('heartbeat.odd', new TextEncoder().encode(JSON.stringify({ pc_id: 'PC WITH SPACE', at: new Date().toISOString(), agent_version: '0.30.0' })))
    await nc.flush()
    const deadline = Date.now() + 15_000
    let agents = await server.inject({ method: 'GET', url: '/api/agents' })
    while (!agents.body.includes('PC WITH SPACE') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      agents = await server.inject({ method: 'GET', url: '/api/agents' })
    }
    expect(agents.statusCode, agents.body).toBe(200)
    expect(agents.body).toContain('PC WITH SPACE')
    for (const url of ['/api/agents/PC%20WITH%20SPACE', '/api/inventory/by-job/a%20b', '/api/jobs/a%20b', '/api/agents/PC%20WITH%20SPACE/groups']) {
      const res = await server.inject({ method: 'GET', url })
      expect(res.statusCode, `${url} → ${res.body}`).toBeLessThan(500)
    }
  })
})

