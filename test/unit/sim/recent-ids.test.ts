import { expect, it } from 'vitest'
import { RecentIds } from '../../../src/main/sim/recent-ids'

it('remembers the last N ids and forgets older ones', () => {
  const r = new RecentIds(1024)
  expect(r.add('a')).toBe(true)
  expect(r.add('a')).toBe(false)
  for (let i = 0; i < 1023; i++) r.add(`x${i}`)
  expect(r.size).toBe(1024)
  expect(r.add('a')).toBe(false) // still among the last 1024
  r.add('one-more') // evicts 'a'
  expect(r.has('a')).toBe(false)
  expect(r.add('a')).toBe(true)
  expect(r.size).toBe(1024)
  r.clear()
  expect(r.add('x5')).toBe(true)
})
