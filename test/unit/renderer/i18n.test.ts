import { describe, expect, it } from 'vitest'
import { en } from '../../../src/renderer/src/i18n/en'
import { ja } from '../../../src/renderer/src/i18n/ja'

// English and Japanese carry the same keys, no empty text, and the same {{placeholders}}.

function flatten(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
    else out.set(key, String(v))
  }
  return out
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()

describe('translations', () => {
  const e = flatten(en)
  const j = flatten(ja)
  it('have the same keys', () => {
    expect([...j.keys()].sort()).toEqual([...e.keys()].sort())
    expect(e.size).toBeGreaterThan(400)
  })
  it('are never empty and keep every placeholder', () => {
    for (const [k, v] of e) {
      expect(v.trim(), k).not.toBe('')
      expect(j.get(k)!.trim(), k).not.toBe('')
      expect(placeholders(j.get(k)!), k).toEqual(placeholders(v))
    }
  })
})
