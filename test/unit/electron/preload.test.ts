import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { operations } from '../../../src/shared/api/index'
import { IPC_EVENT_CHANNEL, ipcChannel } from '../../../src/shared/api/op'
import { silentLogger } from '../../../src/main/core/log'
import { fileLocation } from '../../../src/main/electron/app-location'
import type { IpcMain } from '../../../src/main/electron/deps'
import { registerOperationHandlers } from '../../../src/main/electron/ipc'
import { createConsoleWindow, MODE_SWITCH, OPS_SWITCH } from '../../../src/main/electron/window'
import { DEFAULT_STATE } from '../../../src/main/electron/window-state'
import { createBridge, type RendererIpc } from '../../../src/preload/bridge'
import * as channels from '../../../src/preload/channels'
import { tempDir } from '../../helpers/db'
import { fakeCore, testConfig } from './fake-core'
import { fakeElectron, FakeBrowserWindow, FakeIpcMain, type FakeWebContents } from './fakes'

const ROOT = join(__dirname, '../../..')
const names = Object.keys(operations)
const dir = tempDir('kanade-preload-')
const live = fakeCore(testConfig(dir.dir))
afterAll(() => {
  live.cleanup()
  dir.cleanup()
})

/** The argv a console window's renderer gets, as the main process builds it. */
function windowArgv(mode: 'live' | 'review'): string[] {
  const f = fakeElectron()
  createConsoleWindow({
    electron: f.electron,
    preload: '/app/out/preload/index.cjs',
    loc: fileLocation('/app/out/renderer/index.html'),
    mode,
    opNames: names,
    title: 't',
    state: DEFAULT_STATE,
    onAction: () => {},
  })
  const prefs = FakeBrowserWindow.instances[0].options.webPreferences as { additionalArguments: string[] }
  return ['/path/to/electron', '--type=renderer', ...prefs.additionalArguments]
}

/** ipcRenderer wired to a main process: invoke → ipcMain.handle from the window's main frame. */
function rendererIpc(ipcMain: FakeIpcMain, wc: FakeWebContents): RendererIpc & { listeners: Map<string, Set<(e: unknown, ...a: unknown[]) => void>> } {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>()
  return {
    listeners,
    invoke: (channel, ...args) => ipcMain.invoke(channel, wc, wc.mainFrame, ...args) as Promise<unknown>,
    on: (channel, fn) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(fn)),
    removeListener: (channel, fn) => listeners.get(channel)?.delete(fn),
  }
}

describe('preload bridge', () => {
  it('uses the contract’s channel names without importing the contract', () => {
    expect(channels.opChannel('listAgents')).toBe(ipcChannel('listAgents'))
    expect(channels.EVENT_CHANNEL).toBe(IPC_EVENT_CHANNEL)
    expect(channels.OPS_SWITCH).toBe(OPS_SWITCH)
    expect(channels.MODE_SWITCH).toBe(MODE_SWITCH)
    // The preload is bundled alone into a sandbox: no zod, no schemas, no Node modules.
    for (const file of readdirSync(join(ROOT, 'src/preload')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
      const text = readFileSync(join(ROOT, 'src/preload', file), 'utf8')
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1])
      expect(imports.filter((i) => i !== 'electron' && !i.startsWith('./')), file).toEqual([])
    }
  })

  it('exposes one named function per contract operation, from the names main passes', () => {
    const { names: got, mode } = channels.readLaunchArguments(windowArgv('live'))
    expect(got).toEqual(names)
    expect(mode).toBe('live')
    const bridge = createBridge({ invoke: async () => null, on: () => {}, removeListener: () => {} }, got, 'linux', mode)
    expect(Object.keys(bridge.api).sort()).toEqual([...names].sort())
    expect(Object.values(bridge.api).every((f) => typeof f === 'function')).toBe(true)
    expect(bridge).not.toHaveProperty('invoke')
    expect(channels.readLaunchArguments(windowArgv('review')).mode).toBe('review')
  })

  it('every exposed function reaches the main-process handler of the same name', async () => {
    const ipcMain = new FakeIpcMain()
    const f = fakeElectron()
    const win = new f.electron.BrowserWindow({}) as unknown as FakeBrowserWindow
    win.webContents.mainFrame.url = 'file:///app/out/renderer/index.html'
    const loc = fileLocation('/app/out/renderer/index.html')
    const seen: string[] = []
    const impl = new Proxy({}, { get: (_t, n: string) => async () => (seen.push(n), `result of ${n}`) })
    const schemaFree = Object.fromEntries(names.map((n) => [n, { method: 'GET', path: '/', summary: n, response: (operations as Record<string, { response: unknown }>)[n].response }]))
    registerOperationHandlers(ipcMain as unknown as IpcMain, {
      resolve: (ev) => (ev.sender === (win.webContents as unknown) && loc.isAppUrl(ev.senderFrame?.url ?? '') ? live.core : null),
      log: silentLogger,
      operations: schemaFree as never,
      handlers: impl as never,
    })
    const bridge = createBridge(rendererIpc(ipcMain, win.webContents), channels.readLaunchArguments(windowArgv('live')).names, 'linux', 'live')
    for (const n of names) expect(await bridge.api[n](), n).toEqual({ ok: true, data: `result of ${n}` })
    expect(seen).toEqual(names)
  })

  it('passes the input as given (an absent input becomes {})', async () => {
    const calls: unknown[][] = []
    const bridge = createBridge({ invoke: async (...a) => calls.push(a), on: () => {}, removeListener: () => {} }, ['listResults'], 'win32', 'live')
    await bridge.api.listResults({ query: { pc_id: 'PC-1' } })
    await bridge.api.listResults()
    expect(calls).toEqual([
      [ipcChannel('listResults'), { query: { pc_id: 'PC-1' } }],
      [ipcChannel('listResults'), {}],
    ])
    expect(bridge.platform).toBe('win32')
  })

  it('onEvent delivers the payload only and unsubscribes', () => {
    const ipc = rendererIpc(new FakeIpcMain(), fakeElectron() && (new FakeBrowserWindow({}).webContents))
    const bridge = createBridge(ipc, [], 'linux', 'live')
    const got: unknown[] = []
    const off = bridge.onEvent((e) => got.push(e))
    const fire = (payload: unknown) => ipc.listeners.get(IPC_EVENT_CHANNEL)?.forEach((fn) => fn({ sender: 'ipc internals' }, payload))
    fire({ type: 'agents.changed', data: { pc_ids: ['PC-1'] } })
    off()
    fire({ type: 'agents.changed', data: { pc_ids: ['PC-2'] } })
    expect(got).toEqual([{ type: 'agents.changed', data: { pc_ids: ['PC-1'] } }])
    expect(() => bridge.onEvent('nope' as never)).toThrow(TypeError)
  })

  it('ignores names that could not be operation names', () => {
    const argv = [`${OPS_SWITCH}listAgents,__proto__,constructor,a b,,x;y,getAgent`, `${MODE_SWITCH}admin`]
    expect(channels.readLaunchArguments(argv)).toEqual({ names: ['listAgents', 'getAgent'], mode: 'live' })
    expect(channels.readLaunchArguments([])).toEqual({ names: [], mode: 'live' })
  })
})
