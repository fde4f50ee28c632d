import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/db'
import { startServe } from '../../helpers/serve'

// The built `kanade-console serve` with nothing configured: a per-install token is created
// in the data dir and printed; /api needs it, /health and the dashboard do not.

async function outputLine(s: { output(): string }, re: RegExp): Promise<RegExpExecArray> {
  const start = Date.now()
  for (;;) {
    const m = re.exec(s.output())
    if (m) return m
    if (Date.now() - start > 5000) throw new Error(`no ${re} in:\n${s.output()}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('serve: default authentication and the dashboard', () => {
  it('prints the per-install token, requires it on /api, keeps it across restarts, serves the dashboard', async () => {
    const data = tempDir('kc-serve-auth-')
    const env = { KANADE_AUTH_DISABLE: '', KANADE_AUTH_STATIC_TOKEN: '', KANADE_JWT_SECRET: '' }
    let s = await startServe(['--data-dir', data.dir, '--bind', '127.0.0.1:0'], env)
    let token: string
    try {
      const m = await outputLine(s, /api token: (\S+) \(kept in (\S+)\)/)
      token = m[1]
      expect(m[2]).toBe(join(data.dir, 'api-token'))
      expect(readFileSync(m[2], 'utf8').trim()).toBe(token)

      expect((await fetch(`${s.url}/health`)).status).toBe(200)
      const denied = await fetch(`${s.url}/api/agents`)
      expect(denied.status).toBe(401)
      expect(await denied.json()).toEqual({ error: 'unauthorized', message: 'missing bearer token' })
      const ok = await fetch(`${s.url}/api/agents`, { headers: { authorization: `Bearer ${token}` } })
      expect(ok.status).toBe(200)
      expect(ok.headers.get('x-total-count')).toBe('0')
      const page = await fetch(`${s.url}/agents/pc-01`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toMatch(/text\/html/)
      expect(await page.text()).toMatch(/<html/i)
    } finally {
      expect(await s.stop('SIGTERM')).toBe(0)
    }
    s = await startServe(['--data-dir', data.dir, '--bind', '127.0.0.1:0'], env)
    try {
      expect((await outputLine(s, /api token: (\S+)/))[1]).toBe(token)
    } finally {
      expect(await s.stop('SIGTERM')).toBe(0)
    }
    data.cleanup()
  })
})
