import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { operations } from '../../../src/shared/api/index'
import type { OperationDef } from '../../../src/shared/api/op'
import { handlers } from '../../../src/main/core/handlers/index'
import { testApi, type TestApi } from './helpers'

// No operation can be forgotten: each one is a route of the HTTP server, has a handler, and
// declares the parameters its path uses. The snapshot pins the exposed surface: adding,
// renaming or moving an operation shows up as a snapshot change (update it with `vitest -u`).

const ops = operations as Record<string, OperationDef>
let t: TestApi
beforeAll(async () => {
  t = await testApi()
})
afterAll(async () => t.close())

describe('contract surface', () => {
  it('every operation is registered on HTTP with its method and path', () => {
    const missing = Object.entries(ops)
      .filter(([, d]) => !t.app.hasRoute({ method: d.method, url: d.path }))
      .map(([n]) => n)
    expect(missing).toEqual([])
    expect(t.app.hasRoute({ method: 'GET', url: '/api/events' })).toBe(true)
    expect(t.app.hasRoute({ method: 'GET', url: '/api/openapi.json' })).toBe(true)
    expect(t.app.hasRoute({ method: 'GET', url: '/health' })).toBe(true)
  })

  it('every operation has a handler', () => {
    const missing = Object.keys(ops).filter((n) => typeof (handlers as Record<string, unknown>)[n] !== 'function')
    expect(missing).toEqual([])
  })

  it('no two operations share a method and path; names are identifiers', () => {
    const keys = Object.values(ops).map((d) => `${d.method} ${d.path}`)
    expect(new Set(keys).size).toBe(keys.length)
    for (const name of Object.keys(ops)) expect(name).toMatch(/^[a-z][A-Za-z0-9]*$/)
  })

  it('path parameters are declared in the params schema, and only those', () => {
    for (const [name, d] of Object.entries(ops)) {
      const inPath = [...d.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]).sort()
      const declared = d.params instanceof z.ZodObject ? Object.keys(d.params.shape).sort() : []
      expect(declared, name).toEqual(inPath)
      expect(d.path.startsWith('/api/'), name).toBe(true)
    }
  })

  it('list operations describe one row with an object schema (CSV columns come from it)', () => {
    for (const [name, d] of Object.entries(ops)) if (d.list) expect(d.response instanceof z.ZodObject, name).toBe(true)
  })

  it('the exposed surface (name, method, path)', () => {
    const surface = Object.entries(ops)
      .map(([name, d]) => `${d.method.padEnd(6)} ${d.path}  ${name}${d.list ? ' [list]' : ''}${d.mutates ? ' [mutates]' : ''}${d.nats ? ' [nats]' : ''}`)
      .sort()
    expect(surface).toMatchSnapshot()
  })
})
