import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildHttpApp } from '../../../src/main/core/http/server'
import { controlTuning } from '../../../src/main/core/control/tuning'
import { FakeAgent } from '../../helpers/fake-agent'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { startHarness, type Harness } from './harness'

// The control operations through the real HTTP layer (fastify inject): kanade's routes, YAML
// and multipart bodies, JSON errors naming the field, audit actor / sub / source from the
// request, responses checked against the contract.

let nats: TestNats
let h: Harness
let app: FastifyInstance
let agent: FakeAgent
const saved = { ...controlTuning }
const TOKEN = 'test-static-token'
const auth = { authorization: `Bearer ${TOKEN}`, 'x-kanade-source': 'cli' }

async function audits(): Promise<{ subjects: string[]; payloads: unknown[] }> {
  await h.settleAudits()
  const out = { subjects: [...h.auditSubjects], payloads: h.audits.map((a) => a.payload) }
  h.audits.length = 0
  h.auditSubjects.length = 0
  return out
}

const MANIFEST_YAML = `id: hello
version: 1.0.0
description: say hello
execute:
  shell: cmd
  script: echo hello
  timeout: 30s
`

beforeAll(async () => {
  nats = await startTestNats()
  h = await startHarness(nats)
  h.core.config.auth = { disabled: false, staticToken: TOKEN, jwtSecret: null }
  controlTuning.runGraceMs = 200
  controlTuning.logsTimeoutMs = 300
  app = await buildHttpApp(h.core, { webRoot: null, validateResponses: true })
  agent = await FakeAgent.start({ url: nats.url, pcId: 'HTTP-PC', respond: () => ({ exitCode: 0, stdout: 'ok' }) })
})
afterAll(async () => {
  Object.assign(controlTuning, saved)
  await app?.close()
  await agent?.stop()
  await h?.close()
  await nats?.stop()
})
beforeEach(async () => {
  await audits()
})

describe('control routes over HTTP', () => {
  it('POST /api/jobs takes YAML; audit carries sub / source of the request', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/jobs', headers: { ...auth, 'content-type': 'application/yaml' }, payload: MANIFEST_YAML })
    expect(r.statusCode).toBe(200)
    expect(r.json()).toEqual({ id: 'hello', version: '1.0.0', description: 'say hello', inventory: false })
    const a = await audits()
    expect(a.subjects).toEqual(['audit.static-token.job_upsert.hello'])
    expect(a.payloads[0]).toEqual({ version: '1.0.0', inventory: false, sub: 'static-token', source: 'cli' })
    const list = await app.inject({ method: 'GET', url: '/api/jobs', headers: auth })
    expect(list.headers['x-total-count']).toBe('1')
    expect(list.json()[0].execute).toEqual({ shell: 'cmd', script: 'echo hello', timeout: '30s', run_as: 'system' })
  })

  it('unknown Manifest keys → 400 JSON error naming the key', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: auth,
      payload: { id: 'x', version: '1', target: { pcs: ['a'] }, execute: { shell: 'cmd', script: 's', timeout: '1s' } },
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().error).toBe('bad_request')
    expect(r.json().message).toContain('target')
  })

  it('POST /api/exec/:job_id publishes and answers ExecResponse; kanade’s 400 text for an empty target', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/exec/hello', headers: auth, payload: { target: { pcs: ['HTTP-PC'] } } })
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body).toMatchObject({ job_id: 'hello', version: '1.0.0', target_count: 1, subjects: ['commands.pc.HTTP-PC'] })
    await agent.waitFor(() => agent.accepted.some((d) => d.command.exec_id === body.exec_id), 5000, 'the command')
    expect((await audits()).subjects).toEqual(['audit.static-token.exec.hello'])

    const bad = await app.inject({ method: 'POST', url: '/api/exec/hello', headers: auth, payload: { target: {} } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({
      error: 'bad_request',
      message: 'target must specify at least one of `all` / `groups` / `pcs` (or set `rollout.waves`)',
    })
    expect((await app.inject({ method: 'POST', url: '/api/exec/ghost', headers: auth, payload: { target: { all: true } } })).statusCode).toBe(404)
  })

  it('kill routes answer 204', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/jobs/hello/kill', headers: auth })).statusCode).toBe(204)
    expect((await app.inject({ method: 'POST', url: '/api/executions/abc-123/kill', headers: auth })).statusCode).toBe(204)
    expect((await audits()).subjects).toEqual(['audit.static-token.kill.hello', 'audit.static-token.kill.abc-123'])
  })

  it('schedules: YAML upsert, 400 for a 5-field cron, disable?cascade=true, 409 on job delete while referenced', async () => {
    const yaml = `id: nightly\ncron: "0 0 2 * * *"\njob_id: hello\ntarget:\n  all: true\n`
    const ok = await app.inject({ method: 'POST', url: '/api/schedules', headers: { ...auth, 'content-type': 'text/yaml' }, payload: yaml })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ id: 'nightly', cron: '0 0 2 * * *', enabled: true, job_id: 'hello' })
    const bad = await app.inject({
      method: 'POST',
      url: '/api/schedules',
      headers: auth,
      payload: { id: 'bad', cron: '0 2 * * *', job_id: 'hello', target: { all: true } },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().message).toMatch(/^invalid cron: .*5 fields/)
    const del = await app.inject({ method: 'DELETE', url: '/api/jobs/hello', headers: auth })
    expect(del.statusCode).toBe(409)
    expect(del.json().error).toBe('conflict')
    const dis = await app.inject({ method: 'POST', url: '/api/schedules/nightly/disable?cascade=true', headers: auth })
    expect(dis.statusCode).toBe(204)
    const list = await app.inject({ method: 'GET', url: '/api/schedules', headers: auth })
    expect(list.json()[0].enabled).toBe(false)
    expect((await app.inject({ method: 'GET', url: '/api/scripts/status', headers: auth })).json()).toEqual({ hello: 'REVOKED' })
    expect((await audits()).subjects).toEqual(['audit.static-token.schedule_upsert.nightly', 'audit.static-token.schedule_disable.nightly'])
  })

  it('POST /api/agents/publish takes multipart; the version comes from the file name', async () => {
    const boundary = '----kanade-test'
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="kanade-agent-0.30.9.exe"\r\n` + 'Content-Type: application/octet-stream\r\n\r\n'),
      Buffer.alloc(2048, 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const r = await app.inject({
      method: 'POST',
      url: '/api/agents/publish',
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    })
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({ version: '0.30.9', size: 2048 })
    const list = await app.inject({ method: 'GET', url: '/api/agents/releases', headers: auth })
    expect(list.json().map((x: { version: string }) => x.version)).toEqual(['0.30.9'])
    const ro = await app.inject({
      method: 'POST',
      url: '/api/agents/rollout',
      headers: auth,
      payload: { version: '0.30.9', scope: { type: 'global' }, jitter: '10m' },
    })
    expect(ro.json()).toEqual({ version: '0.30.9', scope_key: 'global', scope_label: 'global', jitter: '10m' })
    expect((await app.inject({ method: 'DELETE', url: '/api/agents/releases/0.30.9', headers: auth })).statusCode).toBe(409)
    await audits()
  })

  it('POST /api/agents/publish with a broken multipart body answers 400 naming the problem (fuzz counterexample)', async () => {
    for (const [contentType, payload] of [
      ['multipart/form-data', 'a=b'],
      ['multipart/form-data; boundary=x', 'not a multipart body'],
    ]) {
      const r = await app.inject({ method: 'POST', url: '/api/agents/publish', headers: { ...auth, 'content-type': contentType }, payload })
      expect([r.statusCode, r.json().error], `${contentType} / ${payload}`).toEqual([400, 'bad_request'])
      expect(r.json().message).toMatch(/^body: /)
    }
  })

  it('run / logs / ping / groups / config / effective_config', async () => {
    const run = await app.inject({ method: 'POST', url: '/api/run', headers: auth, payload: { pc_id: 'HTTP-PC', shell: 'cmd', script: 'ver' } })
    expect(run.statusCode).toBe(200)
    expect(run.json()).toMatchObject({ pc_id: 'HTTP-PC', exit_code: 0, stdout: 'ok' })
    const late = await app.inject({ method: 'POST', url: '/api/run', headers: auth, payload: { pc_id: 'NOBODY', script: 'x', timeout_secs: 0 } })
    expect(late.statusCode).toBe(408)
    expect(late.json().error).toBe('timeout')

    agent.answerLogs('tail line\n')
    const logs = await app.inject({ method: 'GET', url: '/api/agents/HTTP-PC/logs?tail=10', headers: auth })
    expect(logs.statusCode).toBe(200)
    expect(logs.headers['content-type']).toMatch(/^text\/plain/)
    expect(logs.body).toBe('tail line\n')
    expect((await app.inject({ method: 'GET', url: '/api/agents/NOBODY/logs', headers: auth })).statusCode).toBe(502)
    const ping = await app.inject({ method: 'POST', url: '/api/agents/NOBODY/ping?wait_secs=1', headers: auth })
    expect(ping.statusCode).toBe(408)

    const put = await app.inject({ method: 'PUT', url: '/api/agents/HTTP-PC/groups', headers: auth, payload: { groups: ['b', 'a', 'b'] } })
    expect(put.json()).toEqual({ groups: ['a', 'b'] })
    const post = await app.inject({ method: 'POST', url: '/api/agents/HTTP-PC/groups', headers: auth, payload: { group: 'c' } })
    expect(post.json()).toEqual({ groups: ['a', 'b', 'c'] })
    const del = await app.inject({ method: 'DELETE', url: '/api/agents/HTTP-PC/groups/a', headers: auth })
    expect(del.json()).toEqual({ groups: ['b', 'c'] })
    await app.inject({ method: 'PUT', url: '/api/groups/b/config', headers: auth, payload: { heartbeat_interval: '20s' } })
    expect((await app.inject({ method: 'GET', url: '/api/config', headers: auth })).json()).toEqual({
      target_version: '0.30.9',
      target_version_jitter: '10m',
    })
    const eff = await app.inject({ method: 'GET', url: '/api/agents/HTTP-PC/effective_config', headers: auth })
    expect(eff.json()).toEqual({
      pc_id: 'HTTP-PC',
      effective: { target_version: '0.30.9', target_version_jitter: '10m', heartbeat_interval: '20s' },
      warnings: [],
    })
    expect((await app.inject({ method: 'DELETE', url: '/api/groups/b/config', headers: auth })).statusCode).toBe(204)
    expect((await audits()).subjects).toEqual([
      'audit.static-token.run.HTTP-PC',
      'audit.static-token.run.NOBODY',
      'audit.static-token.groups_put.HTTP-PC',
      'audit.static-token.groups_put.HTTP-PC',
      'audit.static-token.groups_put.HTTP-PC',
      'audit.static-token.config_put.groups.b',
      'audit.static-token.config_delete.groups.b',
    ])
  })

  it('with auth disabled the actor is operator, without sub', async () => {
    h.core.config.auth = { disabled: true, staticToken: null, jwtSecret: null }
    const open = await buildHttpApp(h.core, { webRoot: null, validateResponses: true })
    try {
      const r = await open.inject({ method: 'POST', url: '/api/scripts/hello/unrevoke' })
      expect(r.statusCode).toBe(204)
      const a = await audits()
      expect(a.subjects).toEqual(['audit.operator.unrevoke.hello'])
      expect(a.payloads[0]).toEqual({})
    } finally {
      await open.close()
      h.core.config.auth = { disabled: false, staticToken: TOKEN, jwtSecret: null }
    }
  })

  it('the OpenAPI document lists the control routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json', headers: auth })).json()
    for (const p of ['/api/exec/{job_id}', '/api/run', '/api/schedules/{id}/disable', '/api/agents/publish', '/api/executions/{exec_id}/kill']) {
      expect(Object.keys(doc.paths)).toContain(p)
    }
  })
})
