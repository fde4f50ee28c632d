import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/db'
import { testApi, type TestApi } from './helpers'

// The dashboard at `/` (CONVENTIONS.md, kanade's rules), and /api + /health winning over it.

let web: ReturnType<typeof tempDir>
let t: TestApi
beforeAll(async () => {
  web = tempDir('kc-web-')
  writeFileSync(join(web.dir, 'index.html'), '<!doctype html><title>kanade</title>')
  mkdirSync(join(web.dir, 'assets'))
  writeFileSync(join(web.dir, 'assets', 'app-123.js'), 'console.log(1)')
  writeFileSync(join(web.dir, 'favicon.svg'), '<svg/>')
  t = await testApi({ webRoot: web.dir, auth: { disabled: false, staticToken: 'tok' } })
})
afterAll(async () => {
  await t.close()
  web.cleanup()
})

const get = (url: string) => t.app.inject({ method: 'GET', url })

describe('dashboard hosting', () => {
  it('serves exact files without auth', async () => {
    const js = await get('/assets/app-123.js')
    expect(js.statusCode).toBe(200)
    expect(js.headers['content-type']).toMatch(/javascript/)
    expect(js.body).toBe('console.log(1)')
    expect((await get('/favicon.svg')).headers['content-type']).toMatch(/svg/)
    const root = await get('/')
    expect(root.statusCode).toBe(200)
    expect(root.body).toContain('<title>kanade</title>')
  })

  it('a miss under /assets/ is a 404; any other path gets index.html (client routes)', async () => {
    expect((await get('/assets/missing.js')).statusCode).toBe(404)
    for (const url of ['/agents', '/runs/e1?tab=output', '/deep/nested/route']) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.body).toContain('<title>kanade</title>')
    }
  })

  it('/api/* and /health win over the fallback', async () => {
    expect((await get('/health')).body).toBe('ok')
    const api = await get('/api/agents')
    expect(api.statusCode).toBe(401)
    const unknown = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { authorization: 'Bearer tok' } })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error).toBe('not_found')
  })

  it('does not serve files outside the web root', async () => {
    const res = await get('/../../etc/passwd')
    expect(res.body).not.toMatch(/root:/)
    const enc = await get('/%2e%2e/%2e%2e/etc/passwd')
    expect(enc.body).not.toMatch(/root:/)
  })
})
