import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEV_BINDING } from '../../../src/main/electron/native-sqlite'

// The decision logic of scripts/ensure-electron.mjs (run by `npm start`). The script itself
// downloads and builds, which these machines cannot do; importing it runs nothing.

interface Want {
  electron: string
  betterSqlite3: string
  platform: string
  arch: string
}
interface EnsureElectron {
  BINDING: string
  electronPlatformPath(p: string): string
  electronInstalled(f: { version: string; distVersion: string | null; pathTxt: string | null; expectedPath: string; binaryExists: boolean }): boolean
  wantedStamp(w: Want): Want
  sqliteUpToDate(stamp: unknown, want: Want, bindingExists: boolean): boolean
  planSetup(f: { electronReady: boolean; stamp: unknown; want: Want; bindingExists: boolean; nativeOnly: boolean }): string[]
  prebuildArgs(t: { electron: string; platform: string; arch: string }): string[]
  nodeGypArgs(t: { electron: string; arch: string }): string[]
  copyFilter(dir: string): (src: string) => boolean
  parseArgs(argv: string[]): { nativeOnly: boolean; platform: string; arch: string }
}

const script = join(__dirname, '../../../scripts/ensure-electron.mjs')
const load = async () => (await import(/* @vite-ignore */ script)) as EnsureElectron

const want: Want = { electron: '41.7.1', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' }

describe('ensure-electron decisions', () => {
  it('downloads Electron only when its binary is missing or another version', async () => {
    const m = await load()
    const facts = { version: '41.7.1', distVersion: 'v41.7.1', pathTxt: 'electron', expectedPath: 'electron', binaryExists: true }
    expect(m.electronInstalled(facts)).toBe(true)
    expect(m.electronInstalled({ ...facts, distVersion: null })).toBe(false)
    expect(m.electronInstalled({ ...facts, distVersion: '40.0.0' })).toBe(false)
    expect(m.electronInstalled({ ...facts, pathTxt: null })).toBe(false)
    expect(m.electronInstalled({ ...facts, binaryExists: false })).toBe(false)
    expect(m.electronPlatformPath('win32')).toBe('electron.exe')
    expect(m.electronPlatformPath('darwin')).toBe('Electron.app/Contents/MacOS/Electron')
    expect(m.electronPlatformPath('linux')).toBe('electron')
  })

  it('rebuilds better-sqlite3 only when the Electron build is missing or stale', async () => {
    const m = await load()
    const stamp = { ...m.wantedStamp(want), method: 'prebuild-install', verified: true }
    expect(m.planSetup({ electronReady: true, stamp, want, bindingExists: true, nativeOnly: false })).toEqual([])
    expect(m.planSetup({ electronReady: false, stamp, want, bindingExists: true, nativeOnly: false })).toEqual(['download-electron'])
    expect(m.planSetup({ electronReady: false, stamp, want, bindingExists: true, nativeOnly: true })).toEqual([])
    expect(m.planSetup({ electronReady: true, stamp, want, bindingExists: false, nativeOnly: false })).toEqual(['build-sqlite'])
    expect(m.planSetup({ electronReady: true, stamp: null, want, bindingExists: true, nativeOnly: false })).toEqual(['build-sqlite'])
    for (const change of [{ electron: '41.8.0' }, { betterSqlite3: '12.12.0' }, { arch: 'arm64' }, { platform: 'win32' }]) {
      expect(m.sqliteUpToDate(stamp, { ...want, ...change }, true), JSON.stringify(change)).toBe(false)
    }
    expect(m.planSetup({ electronReady: false, stamp: 'garbage', want, bindingExists: false, nativeOnly: false })).toEqual(['download-electron', 'build-sqlite'])
  })

  it('targets Electron, never the Node build in node_modules', async () => {
    const m = await load()
    expect(m.prebuildArgs({ electron: '41.7.1', platform: 'linux', arch: 'x64' })).toEqual([
      '--runtime', 'electron', '--target', '41.7.1', '--platform', 'linux', '--arch', 'x64', '--verbose',
    ])
    const gyp = m.nodeGypArgs({ electron: '41.7.1', arch: 'x64' })
    expect(gyp).toContain('--runtime=electron')
    expect(gyp).toContain('--target=41.7.1')
    expect(gyp).toContain('--dist-url=https://electronjs.org/headers')
    // The build lands where the main process looks for it.
    expect(m.BINDING).toBe(join(...DEV_BINDING))
  })

  it('copies sources but no previous build', async () => {
    const m = await load()
    const keep = m.copyFilter('/nm/better-sqlite3')
    expect(keep('/nm/better-sqlite3/src/better_sqlite3.cpp')).toBe(true)
    expect(keep('/nm/better-sqlite3/deps/sqlite3/sqlite3.c')).toBe(true)
    expect(keep('/nm/better-sqlite3/package.json')).toBe(true)
    expect(keep('/nm/better-sqlite3/build/Release/better_sqlite3.node')).toBe(false)
    expect(keep('/nm/better-sqlite3/build')).toBe(false)
  })

  it('parses its flags and refuses unknown ones', async () => {
    const m = await load()
    expect(m.parseArgs(['--native-only', '--platform', 'win32', '--arch', 'arm64'])).toEqual({ nativeOnly: true, platform: 'win32', arch: 'arm64' })
    expect(m.parseArgs([])).toEqual({ nativeOnly: false, platform: process.platform, arch: process.arch })
    expect(() => m.parseArgs(['--rebuild'])).toThrow(/unknown argument/)
  })
})
