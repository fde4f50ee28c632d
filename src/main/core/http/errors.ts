import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { ApiError, type ErrorCode } from '../../../shared/api/errors'
import type { Logger } from '../log'

// Every error leaves as JSON `{ error, message }` (CONVENTIONS.md): validation issues name the
// field (`query.limit: expected a number`), framework errors keep their 4xx status, and
// anything unexpected is a 500 `internal` whose details go to the log only.

type Issue = z.core.$ZodIssue

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`
}

function issuePath(part: string, path: PropertyKey[]): string {
  let out = part
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`
  return out
}

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return (issue as { input?: unknown }).input === undefined ? 'required' : `expected ${article(issue.expected)}`
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'too_small': {
      const what = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${what}`
    }
    case 'too_big': {
      const what = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${what}`
    }
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
    case 'invalid_union':
      return 'matches none of the allowed shapes'
    case 'invalid_format':
      return `expected ${article(issue.format)}`
    default:
      return issue.message
  }
}

/** 400 naming the first few offending fields; the full list is in `detail.issues`. */
export function validationError(part: 'params' | 'query' | 'body', error: z.ZodError): ApiError {
  const issues = error.issues.map((i) => ({ path: issuePath(part, i.path), message: describeIssue(i) }))
  const text = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ')
  return new ApiError('bad_request', issues.length > 5 ? `${text}; …` : text, { issues })
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

/** Map a thrown value to the JSON error sent to the caller. */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err
  const fe = err as Partial<FastifyError> & { code?: string }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 0
  if (status >= 400 && status < 500) {
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code === 'FST_REQ_FILE_TOO_LARGE' || status === 413) {
      return new ApiError('payload_too_large', `body: larger than the limit (${fe.message ?? 'too large'})`)
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return new ApiError('unsupported_media_type', `body: unsupported content type; send application/json`)
    }
    const code = CODE_BY_STATUS[status] ?? 'bad_request'
    return new ApiError(code, fe.message || code, undefined, status)
  }
  return null
}

export function sendError(
  log: Logger,
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const api = toApiError(err)
  if (api) {
    if (api.status >= 500) log.warn(`${req.method} ${req.url}: ${api.code} ${api.message}`)
    return reply.code(api.status).type('application/json; charset=utf-8').send(api.toJSON())
  }
  const e = err as Error
  log.error(`${req.method} ${req.url} failed: ${e?.stack ?? String(err)}`)
  return reply
    .code(500)
    .type('application/json; charset=utf-8')
    .send({ error: 'internal', message: 'internal error (see the console log)' })
}
