import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { describeAuth, resolveAuth, TOKEN_FILE } from '../../../src/main/core/http/auth'
import { makeCore, testApi, type TestApi, type TestApiOptions } from './helpers'
import { testHandlers, testOps } from './test-ops'

// Authentication of /api/* (reference §4.2 with Q7/Q8), through inject.

const SECRET = 'a-long-enough-test-secret-for-hs256'
let open: TestApi[] = []
afterEach(async () => {
  await Promise.all(open.map((t) => t.close()))
  open = []
})

async function api(auth: TestApiOptions['auth']): Promise<TestApi> {
  const t = await testApi({ operations: testOps, handlers: testHandlers, auth, keepAliveMs: 60_000 })
  open.push(t)
  return t
}

const whoami = (t: TestApi, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/api/t/whoami', headers })

async function jwt(claims: { sub?: string; aud?: string; exp?: number | null }, secret = SECRET): Promise<string> {
  let b = new SignJWT({}).setProtectedHeader({ alg: 'HS256' })
  if (claims.sub !== undefined) b = b.setSubject(claims.sub)
  if (claims.aud !== undefined) b = b.setAudience(claims.aud)
  if (claims.exp !== null) b = b.setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
  return b.sign(new TextEncoder().encode(secret))
}

describe('auth disabled (KANADE_AUTH_DISABLE)', () => {
  it('every caller is `operator`; X-Kanade-Source is passed on', async () => {
    const t = await api({ disabled: true })
    const res = await whoami(t, { 'x-kanade-source': 'cli' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ actor: 'operator', sub: null, source: 'cli' })
  })
})

describe('static token', () => {
  it('accepts the token (actor and sub `static-token`), refuses a missing or wrong one with 401 JSON', async () => {
    const t = await api({ disabled: false, staticToken: 's3cret' })
    expect((await whoami(t, { authorization: 'Bearer s3cret' })).json()).toEqual({ actor: 'static-token', sub: 'static-token', source: null })
    expect((await whoami(t, { authorization: 'bearer   s3cret  ' })).statusCode).toBe(200)
    const none = await whoami(t)
    expect(none.statusCode).toBe(401)
    expect(none.json()).toEqual({ error: 'unauthorized', message: 'missing bearer token' })
    expect((await whoami(t, { authorization: 'Bearer ' })).json().message).toBe('missing bearer token')
    expect((await whoami(t, { authorization: 'Basic czNjcmV0' })).json().message).toBe('missing bearer token')
    const wrong = await whoami(t, { authorization: 'Bearer s3cret-not' })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json()).toEqual({ error: 'unauthorized', message: 'invalid static token' })
  })

  it('applies to unknown /api routes and to percent-encoded paths too', async () => {
    const t = await api({ disabled: false, staticToken: 's3cret' })
    expect((await t.app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/%61pi/t/whoami' })).statusCode).toBe(401)
  })

  it('/health and non-/api paths are public', async () => {
    const t = await api({ disabled: false, staticToken: 's3cret' })
    const h = await t.app.inject({ method: 'GET', url: '/health' })
    expect(h.statusCode).toBe(200)
    expect(h.body).toBe('ok')
    expect((await t.app.inject({ method: 'GET', url: '/some/page' })).statusCode).toBe(404)
  })

  it('?token= is accepted only on GET /api/events', async () => {
    const t = await api({ disabled: false, staticToken: 's3cret' })
    expect((await t.app.inject({ method: 'GET', url: '/api/t/whoami?token=s3cret' })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/api/events?types=bogus&token=s3cret' })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: '/api/events?token=wrong' })).statusCode).toBe(401)
  })
})

describe('HS256 JWT (aud=kanade)', () => {
  it('accepts a valid token: actor = sub', async () => {
    const t = await api({ disabled: false, jwtSecret: SECRET })
    const res = await whoami(t, { authorization: `Bearer ${await jwt({ sub: 'alice', aud: 'kanade' })}`, 'x-kanade-source': 'spa' })
    expect(res.json()).toEqual({ actor: 'alice', sub: 'alice', source: 'spa' })
  })

  it.each([
    ['wrong audience', { sub: 'a', aud: 'other' }, SECRET],
    ['no audience', { sub: 'a' }, SECRET],
    ['expired', { sub: 'a', aud: 'kanade', exp: Math.floor(Date.now() / 1000) - 3600 }, SECRET],
    ['no exp', { sub: 'a', aud: 'kanade', exp: null }, SECRET],
    ['no sub', { aud: 'kanade' }, SECRET],
    ['other secret', { sub: 'a', aud: 'kanade' }, 'another-secret-another-secret-xx'],
  ])('refuses a token with %s: 401 invalid token', async (_name, claims, secret) => {
    const t = await api({ disabled: false, jwtSecret: SECRET })
    const res = await whoami(t, { authorization: `Bearer ${await jwt(claims, secret)}` })
    expect(res.statusCode).toBe(401)
    expect(res.json().error).toBe('unauthorized')
    expect(res.json().message).toMatch(/^invalid token: /)
  })

  it('garbage is refused', async () => {
    const t = await api({ disabled: false, jwtSecret: SECRET })
    expect((await whoami(t, { authorization: 'Bearer not.a.jwt' })).statusCode).toBe(401)
  })
})

describe('static token and JWT together (Q8)', () => {
  it('the static token is checked first, a mismatch falls through to JWT', async () => {
    const t = await api({ disabled: false, staticToken: 's3cret', jwtSecret: SECRET })
    expect((await whoami(t, { authorization: 'Bearer s3cret' })).json().actor).toBe('static-token')
    expect((await whoami(t, { authorization: `Bearer ${await jwt({ sub: 'bob', aud: 'kanade' })}` })).json().actor).toBe('bob')
    const wrong = await whoami(t, { authorization: 'Bearer s3cret-not' })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().message).toMatch(/^invalid token: /)
  })
})

describe('default: a per-install token in the data dir', () => {
  it('is created with mode 0600, reused on the next start, and required', async () => {
    const t = await api({ disabled: false, staticToken: null, jwtSecret: null })
    const file = join(t.dataDir, TOKEN_FILE)
    const token = readFileSync(file, 'utf8').trim()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect((await whoami(t)).statusCode).toBe(401)
    expect((await whoami(t, { authorization: `Bearer ${token}` })).json().actor).toBe('static-token')
    // Same data dir → same token.
    const again = resolveAuth(t.core.config)
    expect(again.staticToken).toBe(token)
    expect(again.tokenFile).toBe(file)
    expect(describeAuth(again)).toContain(token)
  })

  it('is not created when a token, a JWT secret or the disable flag is configured', () => {
    for (const auth of [
      { disabled: true, staticToken: null, jwtSecret: null },
      { disabled: false, staticToken: 'x', jwtSecret: null },
      { disabled: false, staticToken: null, jwtSecret: SECRET },
    ]) {
      const c = makeCore({ auth })
      const a = resolveAuth(c.core.config)
      expect(a.tokenFile).toBeNull()
      expect(() => statSync(join(c.dataDir, TOKEN_FILE))).toThrow()
      expect(describeAuth(a)).not.toMatch(/api token/)
      c.cleanup()
    }
  })
})
