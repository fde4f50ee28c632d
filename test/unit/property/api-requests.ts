// Random HTTP requests for one contract operation, and the check every answer must pass.
// Shared by the unit fuzz (no broker) and the fault-suite fuzz (live broker).
import fc from 'fast-check'
import { expect } from 'vitest'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { OperationDef } from '../../../src/shared/api/op'
import { nastyValue } from './arbitraries'

export const RUNS_PER_ROUTE = Number(process.env.PROPERTY_RUNS_PER_ROUTE ?? 25)

/** Path parameter texts: plausible ids, traversal, percent signs, unicode, huge. */
const paramText = fc.oneof(
  fc.constantFrom('PC-1', 'job-1', 'e-1', 'r-1', '1', '0', '-1', '..', '../etc', '%', 'a b', 'é', '💥', 'x'.repeat(600), 'null', 'a.b.c', '>'),
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }),
)

/** Raw (not re-encoded) path texts, including broken percent-escapes. */
const rawSegment = fc.constantFrom('%E0%A4%A', '%', '%zz', '%00', '..%2F..', '%2e%2e')

const queryValue = fc.oneof(
  fc.constantFrom('', '0', '-1', '1', '50', '1000000', '1e9', 'NaN', 'true', 'yes', 'csv', 'json', 'xml', 'success', 'failure', 'running'),
  fc.constantFrom('2026-05-20T12:00:00Z', '2026-13-45T99:00:00Z', '2026-05-20 12:00:00', 'yesterday'),
  fc.string({ maxLength: 30 }),
)

function queryKeys(def: OperationDef): string[] {
  const shape = (def.query as { shape?: Record<string, unknown> } | undefined)?.shape
  const keys = shape ? Object.keys(shape) : []
  return [...keys, ...(def.list ? ['format', 'limit', 'offset'] : []), 'unknown_key']
}

function pathWith(def: OperationDef, values: string[], raw: boolean[]): string {
  let i = 0
  return def.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, () => {
    const v = values[i] ?? 'x'
    return raw[i++] ? v : encodeURIComponent(v)
  })
}

const bodyArb: fc.Arbitrary<{ payload?: string | Buffer; contentType?: string }> = fc.oneof(
  { weight: 5, arbitrary: nastyValue.map((v) => ({ payload: JSON.stringify(v === undefined ? null : v) ?? 'null', contentType: 'application/json' })) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })) },
  {
    weight: 2,
    arbitrary: fc
      .dictionary(fc.constantFrom('target', 'all', 'pcs', 'groups', 'id', 'version', 'execute', 'pc_id', 'script', 'shell', 'timeout_secs', 'cron', 'job_id', 'enabled', 'rollout', 'waves', 'jitter', 'target_version'), nastyValue, { maxKeys: 6 })
      .map((o) => ({ payload: JSON.stringify(o), contentType: 'application/json' })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => ({ payload: s, contentType: 'application/json' })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => ({ payload: s, contentType: 'application/yaml' })) },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'multipart/form-data', 'application/x-www-form-urlencoded', 'garbage/;;').map((ct) => ({ payload: 'a=b', contentType: ct })) },
  { weight: 1, arbitrary: fc.constant({}) },
)

/** A random request for `def`: its method and path (or a wrong method now and then). */
export function apiRequest(def: OperationDef): fc.Arbitrary<InjectOptions> {
  const nParams = (def.path.match(/:[A-Za-z_]/g) ?? []).length
  const keys = queryKeys(def)
  return fc
    .record({
      params: fc.array(fc.oneof({ weight: 6, arbitrary: paramText }, { weight: 1, arbitrary: rawSegment }), { minLength: nParams, maxLength: nParams }),
      query: fc.dictionary(fc.constantFrom(...keys), queryValue, { maxKeys: 4 }),
      body: bodyArb,
      accept: fc.constantFrom(undefined, 'application/json', 'text/csv', '*/*', 'text/html', ';;;'),
      wrongMethod: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    })
    .map(({ params, query, body, accept, wrongMethod }) => {
      const raw = params.map((p) => /^%|%2/.test(p) && !p.includes(' '))
      const qs = new URLSearchParams(query).toString()
      const url = pathWith(def, params, raw) + (qs ? `?${qs}` : '')
      const method = wrongMethod ? (def.method === 'GET' ? 'DELETE' : 'GET') : def.method
      const headers: Record<string, string> = {}
      if (accept) headers.accept = accept
      const withBody = method !== 'GET' && body.payload !== undefined
      if (withBody && body.contentType) headers['content-type'] = body.contentType
      return { method, url, headers, ...(withBody ? { payload: body.payload } : {}) } as InjectOptions
    })
}

/** The rules every answer follows. */
export function checkAnswer(
  name: string,
  def: OperationDef,
  req: InjectOptions,
  res: LightMyRequestResponse,
  ctx: { natsUp: boolean },
): void {
  const where = `${name}: ${req.method} ${String(req.url).slice(0, 200)} body=${String(req.payload ?? '').slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`
  let json: { error?: unknown; message?: unknown } | null = null
  if (String(res.headers['content-type'] ?? '').includes('json')) {
    try {
      json = JSON.parse(res.body)
    } catch {
      throw new Error(`answer is not JSON despite its content type: ${where}`)
    }
  }
  // kanade's fleet health answers 503 with the health document when degraded.
  const degradedHealth = res.statusCode === 503 && !!def.httpStatus && json !== null && json.error === undefined
  if (res.statusCode >= 500) {
    const natsOutage = res.statusCode === 503 && json?.error === 'nats_unavailable' && (!!def.nats || !ctx.natsUp)
    expect(natsOutage || degradedHealth, `unplanned 5xx: ${where}`).toBe(true)
  }
  if (res.statusCode >= 400 && !degradedHealth) {
    expect(json, `error without a JSON body: ${where}`).not.toBeNull()
    expect(typeof json!.error, where).toBe('string')
    expect(typeof json!.message, where).toBe('string')
    expect(String(json!.message), `stack trace leaked: ${where}`).not.toMatch(/\n\s+at /)
  }
}
