import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { capOutput, capResultOutput } from '../../../src/main/core/retention'

const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

describe('capOutput', () => {
  it('keeps text within the cap unchanged', () => {
    expect(capOutput('hello', 5)).toEqual({ text: 'hello', truncated: false, originalBytes: 5 })
    expect(capOutput('', 1024).truncated).toBe(false)
  })

  it('keeps head and tail of a long output around a marker naming the cut', () => {
    const text = 'HEAD-' + 'x'.repeat(10_000) + '-TAIL'
    const r = capOutput(text, 2048)
    expect(r.truncated).toBe(true)
    expect(r.originalBytes).toBe(10_010)
    expect(bytes(r.text)).toBeLessThanOrEqual(2048)
    expect(r.text.startsWith('HEAD-')).toBe(true)
    expect(r.text.endsWith('-TAIL')).toBe(true)
    expect(r.text).toMatch(/kanade-console: \d+ of 10010 bytes cut; output is capped at 2048 bytes per stream/)
  })

  it('never splits a multi-byte character', () => {
    const text = '€'.repeat(5000) // 3 bytes each
    const r = capOutput(text, 1001)
    expect(bytes(r.text)).toBeLessThanOrEqual(1001)
    expect(r.text).not.toContain('\uFFFD')
  })

  it('falls back to a plain head when the cap is smaller than the marker', () => {
    const r = capOutput('abcdefghijklmnopqrstuvwxyz'.repeat(10), 20)
    expect(r).toMatchObject({ text: 'abcdefghijklmnopqrst', truncated: true })
  })

  it('property: never over the cap, unchanged iff it fits, valid text, head kept', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), fc.integer({ min: 0, max: 4000 }), (s, cap) => {
        // Lone surrogates cannot round-trip UTF-8; compare against their UTF-8 form.
        const norm = Buffer.from(s, 'utf8').toString('utf8')
        const r = capOutput(norm, cap)
        expect(bytes(r.text)).toBeLessThanOrEqual(cap)
        expect(r.truncated).toBe(bytes(norm) > cap)
        if (!r.truncated) expect(r.text).toBe(norm)
        else {
          expect(r.text).not.toBe(norm)
          expect(Buffer.from(r.text, 'utf8').toString('utf8')).toBe(r.text)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('capResultOutput', () => {
  it('notes which streams were cut', () => {
    const big = 'y'.repeat(5000)
    expect(capResultOutput('ok', '', 2048)).toEqual({ stdout: 'ok', stderr: '', output_truncated: 0, output_note: null })
    const r = capResultOutput(big, big, 2048)
    expect(r.output_truncated).toBe(1)
    expect(r.output_note).toBe('stdout cut from 5000 to 2048 bytes; stderr cut from 5000 to 2048 bytes')
    expect(capResultOutput('ok', big, 2048).output_note).toBe('stderr cut from 5000 to 2048 bytes')
  })
})
