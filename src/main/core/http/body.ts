import type { FastifyInstance, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import { parseDocument } from 'yaml'
import { ApiError } from '../../../shared/api/errors'
import type { MultipartBody, OperationDef } from '../../../shared/api/op'

// Request bodies: JSON for every operation; YAML (`application/yaml`, `text/yaml`) only for
// operations that declare it; multipart/form-data only for upload operations. Any other
// content type is a 415.

export type BodyKind = 'json' | 'yaml' | 'multipart'

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']

export function bodyKindOf(req: FastifyRequest): BodyKind | null {
  const ct = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (!ct) return null
  if (ct === 'application/json') return 'json'
  if (YAML_TYPES.includes(ct)) return 'yaml'
  if (ct === 'multipart/form-data') return 'multipart'
  return null
}

export async function registerBodyParsers(app: FastifyInstance, multipartLimit: number): Promise<void> {
  app.removeAllContentTypeParsers()
  const json = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    // An empty body with a JSON content type (some clients send it on POST without a body).
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined)
    json(req, String(body), (err, value) => {
      if (err) return done(new ApiError('bad_request', `body: invalid JSON (${err.message})`), undefined)
      done(null, value)
    })
  })
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => {
    const doc = parseDocument(String(body), { prettyErrors: true, uniqueKeys: true })
    const err = doc.errors[0]
    if (err) {
      const at = err.linePos?.[0]
      const where = at ? ` at line ${at.line}, column ${at.col}` : ''
      return done(new ApiError('bad_request', `body: invalid YAML${where}: ${err.message.split('\n')[0]}`), undefined)
    }
    // toJS throws on what parsing let through (an unresolved alias such as `*a`): a 400 too.
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (e) {
      return done(new ApiError('bad_request', `body: invalid YAML: ${(e as Error).message.split('\n')[0]}`), undefined)
    }
    done(null, value)
  })
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: multipartLimit, files: 1, fields: 50, fieldSize: 1024 * 1024, parts: 60 },
  })
}

/** Refuse a content type the operation does not take (before anything is read). */
export function checkBodyKind(def: OperationDef, kind: BodyKind | null): void {
  if (kind === null || kind === 'json') {
    if (def.bodyFormats?.includes('multipart') && kind === 'json') {
      throw new ApiError('unsupported_media_type', 'body: this operation takes multipart/form-data')
    }
    return
  }
  if (!def.bodyFormats?.includes(kind)) {
    throw new ApiError(
      'unsupported_media_type',
      `body: ${kind === 'yaml' ? 'YAML' : 'multipart/form-data'} is not accepted here; send application/json`,
    )
  }
}

/** The multipart body as `{ fields, file }` (one file at most). */
export async function readMultipart(req: FastifyRequest): Promise<MultipartBody> {
  const fields: Record<string, string> = {}
  let file: MultipartBody['file'] = null
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer()
        if (file) throw new ApiError('bad_request', 'body: only one file may be uploaded')
        file = { filename: part.filename, data: new Uint8Array(data) }
      } else {
        fields[part.fieldname] = String(part.value)
      }
    }
  } catch (e) {
    if (e instanceof ApiError) throw e
    // The parser's own errors (no boundary, truncated body, limits) are the sender's.
    const message = (e as Error).message || String(e)
    if ((e as { statusCode?: number }).statusCode === 413) throw new ApiError('payload_too_large', `body: ${message}`)
    throw new ApiError('bad_request', `body: not a valid multipart/form-data body (${message})`)
  }
  return { fields, file }
}
