import { describe, expect, it } from 'vitest'
import {
  LEGACY_RESULT_NAMESPACE,
  LEGACY_RESULT_NAME_PREFIX,
  legacyResultId,
  resultRowKey,
  uuidV5,
} from '../../../src/main/core/projectors/legacy-id'
import { loadFixture } from '../wire/fixtures'

interface LegacyIds {
  namespace: string
  name_format: string
  cases: { request_id: string; pc_id: string; name: string; result_id: string }[]
}

const fixture = loadFixture<LegacyIds>('legacy-result-ids.json')

describe('legacy result id (UUIDv5)', () => {
  it('uses the fixture namespace and name format', () => {
    expect(LEGACY_RESULT_NAMESPACE).toBe(fixture.namespace)
    expect(fixture.name_format).toBe(`${LEGACY_RESULT_NAME_PREFIX}<request_id>:<pc_id>`)
  })

  it.each(fixture.cases.map((c) => [c.request_id, c.pc_id, c] as const))('(%s, %s)', (_, __, c) => {
    expect(`${LEGACY_RESULT_NAME_PREFIX}${c.request_id}:${c.pc_id}`).toBe(c.name)
    expect(legacyResultId(c.request_id, c.pc_id)).toBe(c.result_id)
  })

  it('is a lower-case RFC 4122 version-5 UUID', () => {
    for (const c of fixture.cases) {
      expect(legacyResultId(c.request_id, c.pc_id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
  })

  it('matches the RFC 4122 appendix example (DNS namespace, www.example.com)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex')
    expect(uuidV5(dns, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
  })

  it('resultRowKey keeps an agent-supplied id and derives one only when empty', () => {
    expect(resultRowKey({ result_id: 'abc', request_id: 'r', pc_id: 'x' })).toBe('abc')
    expect(resultRowKey({ result_id: '', request_id: 'r', pc_id: 'x' })).toBe('0fa0310d-c039-5679-ac84-9f227050a1bb')
  })
})
