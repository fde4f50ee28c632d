import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { operations } from '../../../src/shared/api/index'
import { IPC_EVENT_CHANNEL, ipcChannel, type OperationDef } from '../../../src/shared/api/op'
import type { ConsoleConfig, Flags } from '../../../src/main/core/config'
import type { StartOptions } from '../../../src/main/core/console'
import { silentLogger } from '../../../src/main/core/log'
import { fileLocation } from '../../../src/main/electron/app-location'
import { DesktopShell } from '../../../src/main/electron/desktop'
import type { IpcReply } from '../../../src/main/electron/ipc'
import { ACTION_URL } from '../../../src/main/electron/security'
import { tempDir } from '../../helpers/db'
import { fakeCore, testConfig, type FakeCore } from './fake-core'
import { fakeElectron, FakeBrowserWindow, FakeNotification, FakeTray, settle, type FakeElectron } from './fakes'

const RENDERER = '/app/out/renderer/index.html'
const APP_URL = fileLocation(RENDERER).entryUrl
const names = Object.keys(operations)

interface Harness {
  f: FakeElectron
  shell: DesktopShell
  cores: FakeCore[]
  starts: { config: ConsoleConfig; opts: StartOptions; windowsAtStart: number }[]
  order: string[]
  dataDir: string
}

let dirs: { cleanup(): void }[] = []
let harnesses: Harness[] = []

afterEach(async () => {
  for (const h of harnesses) {
    h.f.app.quit()
    await settle()
    for (const c of h.cores) c.cleanup()
  }
  harnesses = []
  for (const d of dirs) d.cleanup()
  dirs = []
})

function harness(opts: { fail?: (attempt: number) => Error | null; dataDir?: string; argv?: string[] } = {}): Harness {
  let dataDir = opts.dataDir
  if (!dataDir) {
    const d = tempDir('kanade-desktop-')
    dirs.push(d)
    dataDir = d.dir
  }
  const f = fakeElectron()
  const h: Harness = { f, shell: null as unknown as DesktopShell, cores: [], starts: [], order: [], dataDir }
  let attempt = 0
  h.shell = new DesktopShell({
    electron: f.electron,
    argv: opts.argv ?? [],
    preload: '/app/out/preload/index.cjs',
    loc: fileLocation(RENDERER),
    isDev: false,
    platform: 'linux',
    log: silentLogger,
    loadConfig: (flags: Flags) => testConfig(dataDir, flags as Record<string, string>),
    subsystems: () => [],
    startCore: async (config, startOpts) => {
      h.starts.push({ config, opts: startOpts, windowsAtStart: FakeBrowserWindow.instances.length })
      h.order.push('core start')
      const err = opts.fail?.(attempt++)
      await settle(1)
      if (err) throw err
      const c = fakeCore(config, { onStop: () => h.order.push('core stop') })
      h.cores.push(c)
      return c.running
    },
  })
  harnesses.push(h)
  return h
}

const mainWin = (h: Harness) => h.shell.mainWindow!.win as unknown as FakeBrowserWindow
const invoke = (h: Harness, win: FakeBrowserWindow, name: string, input: unknown = {}) =>
  h.f.ipcMain.invoke(ipcChannel(name), win.webContents, win.webContents.mainFrame, input) as Promise<IpcReply>

describe('desktop shell: start', () => {
  it('starts the core before any window, shows a startup screen, then the dashboard', async () => {
    const h = harness()
    expect(await h.shell.start()).toBe(true)
    expect(h.starts).toHaveLength(1)
    expect(h.starts[0].windowsAtStart).toBe(0)
    const win = mainWin(h)
    expect(win.webContents.loads[0]).toMatch(/^data:text\/html/)
    expect(decodeURIComponent(win.webContents.loads[0])).toContain('Starting the console')
    expect(win.webContents.loads.at(-1)).toBe(APP_URL)
    // IPC was registered for every operation before the page could call it.
    expect([...h.f.ipcMain.handlers.keys()].sort()).toEqual(names.map(ipcChannel).sort())
    await settle()
    expect(win.visible).toBe(true)
  })

  it('creates the window with the secure preferences and the operation names', async () => {
    const h = harness()
    await h.shell.start()
    const prefs = mainWin(h).options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/app/out/preload/index.cjs' })
    expect(prefs.additionalArguments).toEqual([`--kanade-ops=${names.join(',')}`, '--kanade-mode=live'])
    // The session got the CSP and the permission handlers.
    expect(h.f.session.headersListener).not.toBeNull()
    expect(h.f.session.permissionRequest).not.toBeNull()
  })

  it('denies navigation and new windows in the console window', async () => {
    const h = harness()
    await h.shell.start()
    const wc = mainWin(h).webContents
    expect(wc.navigate('https://example.com/')).toBe(true)
    expect(wc.navigate(APP_URL)).toBe(true)
    expect(wc.windowOpenHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' })
    expect(h.f.opened).toEqual(['https://example.com/', 'https://docs.example/'])
  })

  it('a second instance quits at once; the first one shows its window', async () => {
    const first = harness()
    await first.shell.start()
    const win = mainWin(first)
    win.hide()
    first.f.app.emit('second-instance')
    expect(win.visible).toBe(true)
    expect(FakeBrowserWindow.focused).toBe(win)

    const second = harness()
    second.f.app.hasLock = false
    expect(await second.shell.start()).toBe(false)
    expect(second.f.app.quitted).toBe(true)
    expect(second.starts).toHaveLength(0)
    expect(FakeBrowserWindow.instances).toHaveLength(0)
  })
})

describe('desktop shell: failed start', () => {
  it('shows the error with a hint, refuses IPC from it, and retries on request', async () => {
    const h = harness({ fail: (n) => (n === 0 ? new Error('spawn nats-server ENOENT') : null) })
    await h.shell.start()
    const win = mainWin(h)
    const page = decodeURIComponent(win.webContents.getURL())
    expect(page).toContain('The console could not start')
    expect(page).toContain('spawn nats-server ENOENT')
    expect(page).toContain('nats-server was not found')
    expect(h.shell.liveConsole).toBeNull()
    const refused = await invoke(h, win, names[0])
    expect(refused).toMatchObject({ ok: false, error: { error: 'forbidden' } })

    win.webContents.navigate(`${ACTION_URL}retry`)
    await settle(10)
    expect(h.starts).toHaveLength(2)
    expect(h.shell.liveConsole).not.toBeNull()
    expect(win.webContents.getURL()).toBe(APP_URL)
  })

  it('explains a database locked by another console', async () => {
    const h = harness({ fail: () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }) })
    await h.shell.start()
    expect(decodeURIComponent(mainWin(h).webContents.getURL())).toContain('locked by another program')
  })
})

describe('desktop shell: events, tray, notifications', () => {
  it('forwards core events to the dashboard, with the link state first', async () => {
    const h = harness()
    await h.shell.start()
    const wc = mainWin(h).webContents
    expect(wc.sent[0]).toMatchObject({ channel: IPC_EVENT_CHANNEL, args: [{ type: 'connection.state', data: { state: 'connected' } }] })
    h.cores[0].core.bus.emit('results.changed', { result_ids: ['r1'], exec_ids: ['e1'], pc_ids: ['PC-1'] })
    expect(wc.sent.at(-1)).toEqual({ channel: IPC_EVENT_CHANNEL, args: [{ type: 'results.changed', data: { result_ids: ['r1'], exec_ids: ['e1'], pc_ids: ['PC-1'] } }] })
  })

  it('the tray shows the connection state and the online/offline counts', async () => {
    const h = harness()
    await h.shell.start()
    const core = h.cores[0].core
    const now = core.now()
    const ins = core.db.prepare('INSERT INTO agents (pc_id, hostname, last_heartbeat, last_seen_at) VALUES (?, ?, ?, ?)')
    ins.run('PC-1', 'a', new Date(now).toISOString(), new Date(now - 10_000).toISOString())
    ins.run('PC-2', 'b', new Date(now).toISOString(), new Date(now - 60_000).toISOString())
    ins.run('PC-3', 'c', new Date(now).toISOString(), new Date(now - 600_000).toISOString())
    core.bus.emit('agents.changed', { pc_ids: ['PC-1', 'PC-2', 'PC-3'] })
    await new Promise((r) => setTimeout(r, 1100))
    const tray = FakeTray.instances[0]
    expect(tray.tooltip).toContain('Agents: 2 online, 1 offline')
    expect(tray.tooltip).toContain('NATS: connected')
    core.bus.emit('connection.state', { state: 'reconnecting', server: null, since: '2026-05-20T12:00:00.000Z', lastError: null })
    expect(tray.tooltip).toContain('NATS: reconnecting')
    const labels = (tray.menu!.template as { label?: string }[]).map((i) => i.label)
    expect(labels).toContain('Open console')
    expect(labels).toContain('Quit')
  })

  it("notifies agents going offline from the core's agents.offline event", async () => {
    const h = harness()
    await h.shell.start()
    h.cores[0].core.bus.emit('agents.offline', { pc_ids: ['PC-8', 'PC-9'] })
    expect(FakeNotification.shown.at(-1)).toEqual({ title: '2 agents went offline', body: 'PC-8, PC-9' })
  })

  it('notifies a finished execution once, with its failure count, as configured', async () => {
    const h = harness()
    await h.shell.start()
    const bus = h.cores[0].core.bus
    const progress = { exec_id: 'e1', job_id: 'patch-tuesday', status: 'completed', target_count: 10, success_count: 7, failure_count: 3 }
    bus.emit('execution.progress', { ...progress, status: 'running' })
    bus.emit('execution.progress', progress)
    bus.emit('execution.progress', progress)
    expect(FakeNotification.shown).toEqual([{ title: 'Execution finished with 3 failures', body: 'patch-tuesday: 7 succeeded, 3 failed of 10 (e1)' }])
    h.shell.actions.setNotification('executionFinished', false)
    bus.emit('execution.progress', { ...progress, exec_id: 'e2' })
    expect(FakeNotification.shown).toHaveLength(1)
    const saved = JSON.parse(readFileSync(join(h.dataDir, 'desktop-settings.json'), 'utf8'))
    expect(saved.notifications.executionFinished).toBe(false)
  })
})

describe('desktop shell: closing and quitting', () => {
  it('quitting stops the core before the app ends', async () => {
    const h = harness()
    await h.shell.start()
    h.f.app.quit()
    expect(h.f.app.quitted).toBe(false)
    await settle(10)
    expect(h.cores[0].stopCalls()).toBe(1)
    expect(h.f.app.quitted).toBe(true)
    expect(h.order).toEqual(['core start', 'core stop'])
    expect(FakeTray.instances[0].destroyed).toBe(true)
    expect(h.f.ipcMain.handlers.size).toBe(0)
  })

  it('closing the window keeps the console running in the tray (setting on)', async () => {
    const h = harness()
    await h.shell.start()
    const win = mainWin(h)
    win.close()
    expect(win.destroyed).toBe(false)
    expect(win.visible).toBe(false)
    expect(h.cores[0].stopCalls()).toBe(0)
    expect(FakeNotification.shown[0].title).toBe('kanade console is still running')
    FakeTray.instances[0].emit('click')
    expect(win.visible).toBe(true)
  })

  it('a Windows log-off quits even with the tray setting on', async () => {
    const h = harness()
    await h.shell.start()
    mainWin(h).emit('session-end')
    await settle(10)
    expect(h.cores[0].stopCalls()).toBe(1)
    expect(h.f.app.quitted).toBe(true)
  })

  it('closing the window quits when the setting is off', async () => {
    const h = harness()
    await h.shell.start()
    h.shell.actions.setKeepRunningInTray(false)
    const win = mainWin(h)
    win.close()
    expect(win.destroyed).toBe(true)
    h.f.app.emit('window-all-closed')
    await settle(10)
    expect(h.cores[0].stopCalls()).toBe(1)
    expect(h.f.app.quitted).toBe(true)
  })

  it('remembers the window bounds in the data folder', async () => {
    const h = harness()
    await h.shell.start()
    h.shell.actions.setKeepRunningInTray(false)
    mainWin(h).close()
    const file = join(h.dataDir, 'window-state.json')
    expect(existsSync(file)).toBe(true)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 10, y: 20, width: 1280, height: 800, maximized: false })
    const again = harness({ dataDir: h.dataDir })
    await again.shell.start()
    expect(mainWin(again).options).toMatchObject({ x: 10, y: 20, width: 1280, height: 800 })
  })
})

describe('desktop shell: offline review and export', () => {
  const mutating = Object.entries(operations as Record<string, OperationDef>).find(([, d]) => d.mutates)

  it('opens a database read-only in its own window with its own core, and refuses changes', async () => {
    const h = harness()
    await h.shell.start()
    const entry = await h.shell.openReview('/backups/seat-2.db')
    const win = entry!.win as unknown as FakeBrowserWindow
    const start = h.starts[1]
    expect(start.config).toMatchObject({ reviewDb: '/backups/seat-2.db', dbPath: '/backups/seat-2.db' })
    expect(start.opts.http).toBe(false)
    expect(win.options.title).toContain('seat-2.db (read-only)')
    expect((win.options.webPreferences as { additionalArguments: string[] }).additionalArguments).toContain('--kanade-mode=review')
    expect(win.webContents.getURL()).toBe(APP_URL)
    expect(win.webContents.sent[0].args[0]).toMatchObject({ type: 'connection.state', data: { state: 'offline_review' } })

    expect(mutating).toBeDefined()
    const [name] = mutating!
    const refused = await invoke(h, win, name)
    expect(refused).toMatchObject({ ok: false, error: { error: 'read_only', status: 403 } })
    expect(!refused.ok && refused.error.message).toContain('not available in offline review')

    // The live window still reaches the live core: the same call is not refused as read-only.
    const liveReply = await invoke(h, mainWin(h), name)
    expect(!liveReply.ok && liveReply.error.error).not.toBe('read_only')

    win.close()
    await settle()
    expect(h.cores[1].stopCalls()).toBe(1)
    expect(h.cores[0].stopCalls()).toBe(0)
  })

  it('opens the review chosen in the File dialog', async () => {
    const h = harness()
    await h.shell.start()
    h.f.dialog.openPaths = ['/tmp/export.db']
    await h.shell.openDatabase()
    expect(h.starts.at(-1)!.config.reviewDb).toBe('/tmp/export.db')
  })

  it('`--review FILE` makes the main window a review', async () => {
    const h = harness({ argv: ['--review', '/backups/old.db'] })
    await h.shell.start()
    expect(h.starts[0].config.reviewDb).toBe('/backups/old.db')
    const prefs = mainWin(h).options.webPreferences as { additionalArguments: string[] }
    expect(prefs.additionalArguments).toContain('--kanade-mode=review')
  })

  it('exports the current database to the chosen file', async () => {
    const h = harness()
    await h.shell.start()
    h.cores[0].core.db.prepare("INSERT INTO agents (pc_id, hostname) VALUES ('PC-7', 'seven')").run()
    const target = join(h.dataDir, 'export.db')
    h.f.dialog.savePath = target
    await h.shell.exportCurrent()
    expect(h.f.dialog.errors).toEqual([])
    expect(existsSync(target)).toBe(true)
    expect(h.f.dialog.messages).toHaveLength(1)
    const review = await h.shell.openReview(target)
    expect(review).not.toBeNull()
  })
})
