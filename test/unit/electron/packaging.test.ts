import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { DEV_BINDING, PACKAGED_BINDING } from '../../../src/main/electron/native-sqlite'

// electron-builder.yml: the four installer kinds, the icon, the migrations, and better-sqlite3
// shipped in its Electron build. (Its schema check, app-builder-lib's validateSchema, takes
// 7 s to compile the schema, too slow for a unit test: run it by hand after editing the file.)

const ROOT = join(__dirname, '../../..')
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))

describe('electron-builder configuration', () => {
  it('builds NSIS, dmg, AppImage and deb with the app icon', () => {
    const targets = (list: (string | { target: string })[]) => list.map((t) => (typeof t === 'string' ? t : t.target))
    expect(targets(config.win.target)).toEqual(['nsis'])
    expect(targets(config.mac.target)).toEqual(['dmg'])
    expect(targets(config.linux.target)).toEqual(['AppImage', 'deb'])
    for (const os of ['win', 'mac', 'linux']) expect(config[os].icon).toBe('build/icon.png')
    expect(existsSync(join(ROOT, 'build/icon.png'))).toBe(true)
  })

  it('ships the app, the migrations, and better-sqlite3 built for Electron', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'migrations/**', 'package.json']))
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    expect(config.npmRebuild).toBe(false)
    expect(config.extraResources).toEqual([{ from: DEV_BINDING.join('/'), to: PACKAGED_BINDING.join('/') }])
  })

  it('`npm run dist` prepares the native build and never rebuilds node_modules in place', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>
    expect(scripts.dist).toContain('scripts/ensure-electron.mjs --native-only')
    expect(scripts.dist).toMatch(/electron-builder$/)
    for (const s of Object.values(scripts)) expect(s).not.toMatch(/install-app-deps|electron-rebuild|@electron\/rebuild/)
    expect(scripts.start).toContain('scripts/ensure-electron.mjs')
  })
})
