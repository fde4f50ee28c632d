import { inflateSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appIconPng, encodePng } from '../../../src/main/electron/icon'
import { errorScreenUrl, startupHint, startupScreenUrl } from '../../../src/main/electron/screens'
import { ACTION_URL } from '../../../src/main/electron/security'
import { appMenuTemplate } from '../../../src/main/electron/menu'
import { DEFAULT_SETTINGS } from '../../../src/main/electron/settings'
import type { DesktopActions } from '../../../src/main/electron/actions'

const html = (url: string) => decodeURIComponent(url.slice(url.indexOf(',') + 1))

describe('startup and error screens', () => {
  it('are self-contained pages with a script-free CSP', () => {
    for (const url of [startupScreenUrl(), errorScreenUrl('boom')]) {
      expect(url).toMatch(/^data:text\/html;charset=utf-8,/)
      expect(html(url)).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
      expect(html(url)).not.toMatch(/<script/i)
    }
  })

  it('escape the error text', () => {
    const page = html(errorScreenUrl('<img src=x onerror=alert(1)> & "quotes"'))
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;')
    expect(page).not.toContain('<img src=x')
  })

  it('offer retry, review and quit as action links', () => {
    const page = html(errorScreenUrl('x'))
    for (const a of ['retry', 'open-database', 'quit']) expect(page).toContain(`href="${ACTION_URL}${a}"`)
    expect(html(errorScreenUrl('x', { canRetry: false }))).not.toContain(`${ACTION_URL}retry`)
  })

  it.each([
    ['spawn nats-server ENOENT', /nats-server was not found/],
    ['SQLITE_BUSY: database is locked', /locked by another program/],
    ['listen EADDRINUSE: address already in use 127.0.0.1:8080', /HTTP port is taken/],
    ['The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115', /npm start/],
  ])('hint for "%s"', (message, hint) => {
    expect(startupHint(message)).toMatch(hint)
  })

  it('no hint for an unknown failure', () => {
    expect(startupHint('something odd')).toBeNull()
  })
})

/** Minimal PNG reader: chunks with CRC check, IHDR, inflated IDAT. */
function readPng(buf: Buffer) {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  let off = 8
  const chunks: Record<string, Buffer> = {}
  while (off < buf.length) {
    const len = buf.readUInt32BE(off)
    const type = buf.toString('ascii', off + 4, off + 8)
    chunks[type] = buf.subarray(off + 8, off + 8 + len)
    off += 12 + len
  }
  return { width: chunks.IHDR.readUInt32BE(0), height: chunks.IHDR.readUInt32BE(4), colorType: chunks.IHDR[9], raw: inflateSync(chunks.IDAT), chunks }
}

describe('app icon', () => {
  it('encodes valid RGBA PNGs', () => {
    const px = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128])
    const png = readPng(encodePng(2, 1, px))
    expect(png).toMatchObject({ width: 2, height: 1, colorType: 6 })
    expect([...png.raw]).toEqual([0, ...px])
    expect(() => encodePng(2, 2, px)).toThrow()
  })

  it('build/icon.png is the drawn icon at 512 px, transparent corners, opaque centre', () => {
    const file = readFileSync(join(__dirname, '../../../build/icon.png'))
    expect(file.equals(appIconPng(512))).toBe(true)
    const png = readPng(file)
    expect([png.width, png.height]).toEqual([512, 512])
    const alpha = (x: number, y: number) => png.raw[y * (512 * 4 + 1) + 1 + x * 4 + 3]
    expect(alpha(0, 0)).toBe(0)
    expect(alpha(256, 256)).toBe(255)
  })
})

describe('application menu', () => {
  const actions: DesktopActions = {
    openWindow() {},
    quit() {},
    retryStart() {},
    openDatabase() {},
    exportDatabase() {},
    setKeepRunningInTray() {},
    setNotification() {},
  }
  it('has review/export under File and no developer tools in a packaged build', () => {
    const t = appMenuTemplate({ platform: 'win32', isDev: false, settings: DEFAULT_SETTINGS, canExport: false }, actions)
    const file = t[0].submenu as { label?: string; enabled?: boolean }[]
    expect(file.map((i) => i.label)).toContain('Open database for review…')
    expect(file.find((i) => i.label === 'Export database…')!.enabled).toBe(false)
    expect(JSON.stringify(t)).not.toContain('toggleDevTools')
    expect(JSON.stringify(appMenuTemplate({ platform: 'darwin', isDev: true, settings: DEFAULT_SETTINGS, canExport: true }, actions))).toContain('toggleDevTools')
  })
})
