import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConsoleSettings } from '../../../src/shared/api/settings'
import { authMode, consoleSettings, maskNatsUrl } from '../../../src/main/core/settings-view'
import { testApi, type TestApi } from './helpers'

// GET /api/settings: what the console runs with, and never a secret.

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }
let t: TestApi | null = null
afterEach(async () => {
  await t?.close()
  t = null
})

async function settings(api: TestApi, token?: string) {
  const res = await api.app.inject({ method: 'GET', url: '/api/settings', headers: token ? { authorization: `Bearer ${token}` } : {} })
  expect(res.statusCode).toBe(200)
  return { body: ConsoleSettings.parse(res.json()), text: res.body }
}

describe('GET /api/settings', () => {
  it('reports version, paths, NATS, auth mode and consumer prefix without any secret', async () => {
    t = await testApi({ auth: { disabled: false, staticToken: 'static-SECRET-1', jwtSecret: 'jwt-SECRET-2' } })
    const c = t.core.config
    c.natsUrls = ['nats://fleet:pw-SECRET-3@10.0.0.5:4222', 'nats://10.0.0.6:4222']
    c.natsToken = 'nats-SECRET-4'
    c.consumerPrefix = 'backend'
    const { body, text } = await settings(t, 'static-SECRET-1')
    expect(text).not.toMatch(/SECRET/)
    expect(body).toMatchObject({
      version: pkg.version,
      data_dir: t.dataDir,
      db_path: c.dbPath,
      review: false,
      nats: { mode: 'external', urls: ['nats://fleet:***@10.0.0.5:4222', 'nats://10.0.0.6:4222'], embedded_url: null, state: 'disconnected', token: true, replicas: 1 },
      http: { auth: 'static_token_and_jwt', token_file: null, bind: '127.0.0.1:8080', url: null },
      consumer_prefix: 'backend',
      consumer_prefix_source: 'config',
      install_id: 'test',
      online_window_secs: 120,
    })
  })

  it('names each auth mode; the per-install token is reported by its file, which reading does not create', async () => {
    const none = { disabled: false, staticToken: null, jwtSecret: null }
    expect(authMode({ ...none, disabled: true, staticToken: 's' })).toBe('disabled')
    expect(authMode({ ...none, staticToken: 's' })).toBe('static_token')
    expect(authMode({ ...none, jwtSecret: 'j' })).toBe('jwt')
    expect(authMode({ ...none, staticToken: 's', jwtSecret: 'j' })).toBe('static_token_and_jwt')
    expect(authMode(none)).toBe('install_token')
    // The desktop app serves no HTTP and has no auth configured: reported as the install token's file.
    t = await testApi()
    t.core.config.auth = none
    const s = consoleSettings(t.core)
    expect(s.http).toMatchObject({ auth: 'install_token', token_file: join(t.dataDir, 'api-token'), url: null })
    expect(existsSync(join(t.dataDir, 'api-token'))).toBe(false)
    expect(s).toMatchObject({ consumer_prefix: 'test', consumer_prefix_source: 'install_id' })
  })

  it('offline review: no broker, read-only', async () => {
    t = await testApi({ readonly: true })
    const { body } = await settings(t)
    expect(body.review).toBe(true)
    expect(body.nats).toMatchObject({ mode: 'none', urls: [], state: 'offline_review', server: null })
  })

  it('masks credentials in NATS URLs', () => {
    expect(maskNatsUrl('nats://u:p@h:4222')).toBe('nats://u:***@h:4222')
    expect(maskNatsUrl('tls://tok@h:4222')).toBe('tls://***@h:4222')
    expect(maskNatsUrl('nats://h:4222')).toBe('nats://h:4222')
    expect(maskNatsUrl('h:4222')).toBe('h:4222')
  })
})
