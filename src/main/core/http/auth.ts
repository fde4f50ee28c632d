import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyRequest } from 'fastify'
import { jwtVerify } from 'jose'
import { ApiError } from '../../../shared/api/errors'
import type { ConsoleConfig } from '../config'
import type { Caller } from '../handlers/types'

// Authentication of /api/* (kanade-backend reference §4.2, with Q7 and Q8):
//   1. auth disabled (KANADE_AUTH_DISABLE = 1/true/yes) → caller `operator`
//   2. paths outside /api/ are public (dashboard, /health)
//   3. `Authorization: Bearer <token>` is required (GET /api/events also takes `?token=`,
//      because a browser EventSource cannot set headers)
//   4. the static token (constant-time compare) → caller `static-token`; a mismatch falls
//      through to JWT validation when a JWT secret is set (Q8)
//   5. HS256 JWT with aud=kanade and exp → caller = its `sub`
// With none of these configured, the static token is a random per-install token kept in
// `<dataDir>/api-token` (mode 0600) and printed by `serve`.

export const TOKEN_FILE = 'api-token'

export interface AuthSettings {
  disabled: boolean
  staticToken: string | null
  jwtSecret: string | null
  /** Set when the static token is the per-install default. */
  tokenFile: string | null
}

/** The per-install token: read from the data dir, created on first use. */
export function ensureInstallToken(dataDir: string): { token: string; file: string } {
  const file = join(dataDir, TOKEN_FILE)
  try {
    const token = readFileSync(file, 'utf8').trim()
    if (token) {
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
      return { token, file }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  mkdirSync(dataDir, { recursive: true })
  const token = randomBytes(32).toString('base64url')
  try {
    writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' })
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return ensureInstallToken(dataDir)
    throw e
  }
  return { token, file }
}

export function resolveAuth(config: ConsoleConfig): AuthSettings {
  const { disabled, staticToken, jwtSecret } = config.auth
  if (disabled || staticToken || jwtSecret) return { disabled, staticToken, jwtSecret, tokenFile: null }
  const { token, file } = ensureInstallToken(config.dataDir)
  return { disabled, staticToken: token, jwtSecret, tokenFile: file }
}

/** One line for the `serve` banner: the mode, and the default token when it is in use. */
export function describeAuth(a: AuthSettings): string {
  if (a.disabled) return 'auth disabled (KANADE_AUTH_DISABLE): every /api caller acts as "operator"'
  if (a.tokenFile) return `api token: ${a.staticToken} (kept in ${a.tokenFile})`
  const modes = [a.staticToken ? 'static token' : null, a.jwtSecret ? 'HS256 JWT (aud=kanade)' : null].filter(Boolean)
  return `auth: ${modes.join(' or ')}`
}

const digest = (s: string) => createHash('sha256').update(s).digest()

function sameToken(a: string, b: string): boolean {
  // Comparing fixed-size digests keeps the comparison constant-time whatever the lengths.
  return timingSafeEqual(digest(a), digest(b))
}

const unauthorized = (message: string) => new ApiError('unauthorized', message)

function bearerOf(req: FastifyRequest, allowQueryToken: boolean): string | null {
  const h = req.headers.authorization
  if (typeof h === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(h.trim())
    const t = m?.[1].trim()
    if (t) return t
  }
  if (allowQueryToken) {
    const q = (req.query as Record<string, unknown> | undefined)?.token
    if (typeof q === 'string' && q.trim()) return q.trim()
  }
  return null
}

function sourceOf(req: FastifyRequest): string | undefined {
  const s = req.headers['x-kanade-source']
  return typeof s === 'string' && s.trim() ? s.trim().slice(0, 64) : undefined
}

/** Who is calling, or an ApiError 401. */
export async function authenticate(a: AuthSettings, req: FastifyRequest, allowQueryToken: boolean): Promise<Caller> {
  const source = sourceOf(req)
  if (a.disabled) return { actor: 'operator', source }
  const token = bearerOf(req, allowQueryToken)
  if (!token) throw unauthorized('missing bearer token')
  if (a.staticToken && sameToken(token, a.staticToken)) return { actor: 'static-token', sub: 'static-token', source }
  if (!a.jwtSecret) throw unauthorized(a.staticToken ? 'invalid static token' : 'no authentication is configured')
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(a.jwtSecret), {
      audience: 'kanade',
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    })
    const sub = String(payload.sub)
    return { actor: sub, sub, source }
  } catch (e) {
    throw unauthorized(`invalid token: ${(e as Error).message}`)
  }
}
