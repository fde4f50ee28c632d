import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { DEFAULT_STATE, loadWindowState, restoreWindowState } from '../../../src/main/electron/window-state'
import { normalizeSettings, SettingsStore, DEFAULT_SETTINGS } from '../../../src/main/electron/settings'
import { tempDir } from '../../helpers/db'

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]

describe('window bounds', () => {
  it('restores a stored position and size that fit the screens', () => {
    expect(restoreWindowState({ x: 100, y: 50, width: 1400, height: 900, maximized: true }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1400,
      height: 900,
      maximized: true,
    })
  })

  it('drops a position on a monitor that is gone, keeps the size', () => {
    expect(restoreWindowState({ x: 3000, y: 200, width: 1200, height: 700 }, screen)).toEqual({ width: 1200, height: 700, maximized: false })
  })

  it('keeps a window that is only partly off screen when its title bar is reachable', () => {
    expect(restoreWindowState({ x: 1500, y: 10, width: 1200, height: 700 }, screen)).toMatchObject({ x: 1500, y: 10 })
  })

  it('clamps sizes and ignores garbage', () => {
    expect(restoreWindowState({ width: 10, height: 10 }, screen)).toEqual({ width: 800, height: 500, maximized: false })
    expect(restoreWindowState({ width: 99999, height: 1e9 }, screen)).toEqual({ width: 1920, height: 1920, maximized: false })
    expect(restoreWindowState('nonsense', screen)).toEqual(DEFAULT_STATE)
    expect(restoreWindowState({ width: 'wide', height: null, x: NaN, y: 1 }, screen)).toEqual(DEFAULT_STATE)
  })

  it('a broken file falls back to the defaults', () => {
    const d = tempDir()
    const file = join(d.dir, 'window-state.json')
    writeFileSync(file, '{ not json')
    expect(loadWindowState(file, screen)).toEqual(DEFAULT_STATE)
    expect(loadWindowState(join(d.dir, 'missing.json'), screen)).toEqual(DEFAULT_STATE)
    d.cleanup()
  })
})

describe('desktop settings', () => {
  it('fills missing and mistyped values with the defaults', () => {
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS)
    expect(normalizeSettings({ keepRunningInTray: 'yes', notifications: { agentOffline: false, deadLetter: 1 } })).toEqual({
      keepRunningInTray: true,
      notifications: { executionFinished: true, agentOffline: false, deadLetter: true },
    })
  })

  it('persists changes and tells listeners', () => {
    const d = tempDir()
    const file = join(d.dir, 'sub', 'desktop-settings.json')
    const store = new SettingsStore(file)
    const seen: boolean[] = []
    store.onChange((s) => seen.push(s.keepRunningInTray))
    store.update((s) => ({ ...s, keepRunningInTray: false }))
    expect(seen).toEqual([false])
    expect(new SettingsStore(file).get().keepRunningInTray).toBe(false)
    d.cleanup()
  })
})
