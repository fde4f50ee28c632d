import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../../../src/shared/api/index'
import { openApiPath } from '../../../src/main/core/http/openapi'
import { testApi, type TestApi } from './helpers'

// GET /api/openapi.json: checked with a small structural validator of OpenAPI 3.1 (no extra
// packages): version, info, unique operationIds, responses everywhere, path parameters that
// match their templates, and every $ref resolving inside the document.

type Json = Record<string, unknown>
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']

function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (!node || typeof node !== 'object' || !(key in (node as Json))) return undefined
    node = (node as Json)[key]
  }
  return node
}

/** Every structural problem found, as readable strings (empty = valid). */
export function validateOpenApi(doc: Json): string[] {
  const problems: string[] = []
  const bad = (p: string) => problems.push(p)
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) bad(`openapi version ${String(doc.openapi)}`)
  const info = doc.info as Json | undefined
  if (!info || typeof info.title !== 'string' || typeof info.version !== 'string') bad('info.title / info.version')
  const paths = doc.paths as Record<string, Json> | undefined
  if (!paths || typeof paths !== 'object') return [...problems, 'paths missing']
  const components = (doc.components ?? {}) as Json
  const schemes = (components.securitySchemes ?? {}) as Json
  const ids = new Set<string>()

  const checkSecurity = (where: string, sec: unknown) => {
    if (sec === undefined) return
    if (!Array.isArray(sec)) return bad(`${where}: security is not an array`)
    for (const req of sec as Json[]) for (const name of Object.keys(req)) if (!(name in schemes)) bad(`${where}: unknown security scheme ${name}`)
  }
  checkSecurity('root', doc.security)

  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) bad(`path ${path} does not start with /`)
    const templ = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
    for (const [method, opRaw] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`
      if (!METHODS.includes(method)) {
        bad(`${where}: unknown method`)
        continue
      }
      const op = opRaw as Json
      if (typeof op.operationId === 'string') {
        if (ids.has(op.operationId)) bad(`${where}: duplicate operationId ${op.operationId}`)
        ids.add(op.operationId)
      }
      const responses = op.responses as Record<string, Json> | undefined
      if (!responses || Object.keys(responses).length === 0) bad(`${where}: no responses`)
      for (const [code, r] of Object.entries(responses ?? {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) bad(`${where}: response code ${code}`)
        if (typeof r.description !== 'string') bad(`${where} ${code}: no description`)
        for (const [type, media] of Object.entries((r.content ?? {}) as Record<string, Json>)) {
          if (!media || typeof media.schema !== 'object') bad(`${where} ${code} ${type}: no schema`)
        }
      }
      const params = (op.parameters ?? []) as Json[]
      const seen = new Set<string>()
      for (const p of params) {
        if (typeof p.name !== 'string' || !['query', 'path', 'header', 'cookie'].includes(String(p.in))) bad(`${where}: bad parameter ${JSON.stringify(p)}`)
        if (!p.schema || typeof p.schema !== 'object') bad(`${where}: parameter ${String(p.name)} has no schema`)
        const key = `${String(p.in)}:${String(p.name)}`
        if (seen.has(key)) bad(`${where}: duplicate parameter ${key}`)
        seen.add(key)
        if (p.in === 'path') {
          if (p.required !== true) bad(`${where}: path parameter ${String(p.name)} not required`)
          if (!templ.includes(String(p.name))) bad(`${where}: path parameter ${String(p.name)} not in the template`)
        }
      }
      for (const name of templ) if (!seen.has(`path:${name}`)) bad(`${where}: template {${name}} not declared`)
      if (op.requestBody) {
        const content = (op.requestBody as Json).content as Json | undefined
        if (!content || Object.keys(content).length === 0) bad(`${where}: requestBody without content`)
      }
      checkSecurity(where, op.security)
    }
  }

  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`))
    if (!node || typeof node !== 'object') return
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') {
        if (typeof v !== 'string' || resolvePointer(doc, v) === undefined) bad(`${at}: $ref ${String(v)} does not resolve`)
      } else if (k === '$defs' || k === '$schema') {
        bad(`${at}: stray ${k}`)
      } else {
        walk(v, `${at}/${k}`)
      }
    }
  }
  walk(doc, '#')
  return problems
}

let t: TestApi
let doc: Json
beforeAll(async () => {
  t = await testApi()
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
  expect(res.statusCode).toBe(200)
  doc = res.json()
})
afterAll(async () => t.close())

describe('GET /api/openapi.json', () => {
  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(validateOpenApi(doc)).toEqual([])
  })

  it('lists every contract operation under its {param} path and method', () => {
    const paths = doc.paths as Record<string, Record<string, Json>>
    for (const [name, def] of Object.entries(operations)) {
      const op = paths[openApiPath(def.path)]?.[def.method.toLowerCase()]
      expect(op?.operationId, name).toBe(name)
    }
    expect(paths['/api/events']?.get).toBeDefined()
    expect(paths['/health']?.get?.security).toEqual([])
  })

  it('declares X-Total-Count (and the agents counts) on list responses, CSV as an alternative', () => {
    const paths = doc.paths as Record<string, Record<string, Json>>
    const agents = paths['/api/agents'].get.responses as Record<string, Json>
    expect(Object.keys(agents['200'].headers as Json)).toEqual(['X-Total-Count', 'X-Online-Count', 'X-Offline-Count'])
    expect(Object.keys(agents['200'].content as Json)).toEqual(['application/json', 'text/csv'])
    const results = paths['/api/results'].get
    expect((results.parameters as Json[]).map((p) => p.name)).toEqual(
      expect.arrayContaining(['pc_id', 'status', 'since', 'until', 'job_id', 'exec_id', 'q', 'limit', 'offset', 'sort', 'format']),
    )
    const status = (results.parameters as Json[]).find((p) => p.name === 'status')!
    expect((status.schema as Json).enum).toEqual(['success', 'failure', 'running'])
    expect(paths['/api/health/fleet'].get.responses).toHaveProperty('503')
  })

  it('the validator catches what it claims to', () => {
    const broken = JSON.parse(JSON.stringify(doc)) as Json
    const paths = broken.paths as Record<string, Record<string, Json>>
    paths['/api/agents/{pc_id}'].get.parameters = []
    paths['/api/results'].get.responses = {}
    ;(paths['/api/audit'].get as Json).x = { $ref: '#/components/schemas/Nope' }
    broken.openapi = '3.0.3'
    const problems = validateOpenApi(broken)
    expect(problems).toEqual(
      expect.arrayContaining([
        'openapi version 3.0.3',
        'GET /api/agents/{pc_id}: template {pc_id} not declared',
        'GET /api/results: no responses',
        '#/paths//api/audit/get/x: $ref #/components/schemas/Nope does not resolve',
      ]),
    )
  })
})
