import type { OperationDef } from '@shared/api'

// Builds the HTTP request of an operation from its declaration (method, fastify-style path).

type Dict = Record<string, unknown>

export function fillPath(path: string, params: Dict | undefined): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const v = params?.[name]
    if (v === undefined || v === null || v === '') throw new Error(`missing path parameter "${name}" for ${path}`)
    return encodeURIComponent(String(v))
  })
}

/** Query string without empty values; arrays are comma-joined; booleans as true/false. */
export function toSearch(query: Dict | undefined): string {
  if (!query) return ''
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.map(String).join(','))
    } else if (v instanceof Date) {
      sp.set(k, v.toISOString())
    } else {
      sp.set(k, String(v))
    }
  }
  const s = sp.toString()
  return s ? `?${s}` : ''
}

export function opUrl(def: OperationDef, input: { params?: unknown; query?: unknown } | undefined, extra?: Dict): string {
  const query = { ...((input?.query as Dict | undefined) ?? {}), ...(extra ?? {}) }
  return fillPath(def.path, input?.params as Dict | undefined) + toSearch(query)
}
