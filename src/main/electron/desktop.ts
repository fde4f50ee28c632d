import { basename, join } from 'node:path'
import { IPC_EVENT_CHANNEL } from '../../shared/api/op'
import type { ConnectionState, PushEvent } from '../../shared/events'
import { toCanonical } from '../../shared/time'
import { defaultDataDir, loadConfig, parseFlags, type ConsoleConfig, type Flags } from '../core/config'
import { startConsole, type RunningConsole, type StartOptions, type SubsystemFactory } from '../core/console'
import { createLogger, type Logger } from '../core/log'
import type { CoreServices } from '../core/services'
import { defaultSubsystems } from '../core/subsystems'
import type { DesktopActions } from './actions'
import type { AppLocation } from './app-location'
import type { ElectronMain } from './deps'
import { FleetMonitor } from './fleet-monitor'
import { readFleetStatus } from './fleet-status'
import { appIconPng } from './icon'
import { operationNames, registerOperationHandlers } from './ipc'
import { appMenuTemplate } from './menu'
import { NotificationPolicy } from './notifications'
import { exportDatabase, exportFileName, reviewConfig } from './review'
import { errorScreenUrl, startupScreenUrl } from './screens'
import { hardenSession } from './security'
import { SettingsStore } from './settings'
import { TrayController } from './tray'
import { createConsoleWindow, WindowRegistry, type WindowEntry, type WindowMode } from './window'
import { DEFAULT_STATE, loadWindowState, trackWindowState, type WindowState } from './window-state'

// The desktop shell: single instance, the core started before the dashboard loads (a
// startup screen meanwhile, an error screen with a hint when it fails), the console window,
// offline-review windows with their own read-only cores, tray, notifications, and a quit
// that stops every core before the process ends.

export interface DesktopOptions {
  electron: ElectronMain
  /** Command-line arguments after the app path (same flags as `serve`). */
  argv: string[]
  preload: string
  loc: AppLocation
  isDev: boolean
  platform: string
  log?: Logger
  startCore?: (config: ConsoleConfig, opts: StartOptions) => Promise<RunningConsole>
  loadConfig?: (flags: Flags) => ConsoleConfig
  subsystems?: (config: ConsoleConfig) => SubsystemFactory[]
  /** Give up waiting for cores to stop after this long (the process still exits). */
  stopTimeoutMs?: number
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

export function connectionSnapshot(core: CoreServices): ConnectionState {
  if (core.readonly || !core.nats) {
    return { state: 'offline_review', server: null, since: toCanonical(core.now()), lastError: null }
  }
  const s = core.nats.status
  return { state: s.state, server: s.server, since: s.since, lastError: s.lastError }
}

export class DesktopShell {
  readonly registry: WindowRegistry
  private readonly e: ElectronMain
  private readonly log: Logger
  private readonly flags: Flags
  private readonly opNames = operationNames()
  private settings!: SettingsStore
  private dataDir: string
  private main: WindowEntry | null = null
  private live: RunningConsole | null = null
  private liveStarting: Promise<void> | null = null
  private liveConfig: ConsoleConfig | null = null
  private liveUnsubscribe: (() => void) | null = null
  private readonly reviews = new Map<WindowEntry, RunningConsole>()
  private tray: TrayController | null = null
  private monitor: FleetMonitor | null = null
  private policy: NotificationPolicy | null = null
  private disposeIpc: (() => void) | null = null
  private quitting = false
  private stopping: Promise<void> | null = null
  private stopped = false
  private toldAboutTray = false

  readonly actions: DesktopActions = {
    openWindow: () => this.showMainWindow(),
    quit: () => this.e.app.quit(),
    retryStart: () => void this.startLive(),
    openDatabase: () => void this.openDatabase(),
    exportDatabase: () => void this.exportCurrent(),
    setKeepRunningInTray: (on) => this.settings.update((s) => ({ ...s, keepRunningInTray: on })),
    setNotification: (key, on) =>
      this.settings.update((s) => ({ ...s, notifications: { ...s.notifications, [key]: on } })),
  }

  constructor(private readonly o: DesktopOptions) {
    this.e = o.electron
    this.log = o.log ?? createLogger('info', 'desktop')
    this.flags = parseFlags(o.argv).flags
    this.registry = new WindowRegistry(o.loc)
    this.dataDir = defaultDataDir()
  }

  /** Returns false when another instance owns the lock (this one then quits). */
  async start(): Promise<boolean> {
    const { app } = this.e
    if (!app.requestSingleInstanceLock()) {
      app.quit()
      return false
    }
    app.on('second-instance', () => this.showMainWindow())
    app.on('activate', () => this.showMainWindow())
    app.on('web-contents-created', (_ev, wc) => {
      wc.on('will-attach-webview', (ev) => ev.preventDefault())
      wc.setWindowOpenHandler(() => ({ action: 'deny' }))
    })
    app.on('window-all-closed', () => {
      if (!this.quitting) app.quit()
    })
    app.on('before-quit', (ev) => this.onBeforeQuit(ev))
    await app.whenReady()
    if (this.o.platform === 'win32') app.setAppUserModelId('io.kanade.console')

    try {
      this.dataDir = this.readConfig().dataDir
    } catch {
      // reported by startLive's error screen
    }
    this.settings = new SettingsStore(join(this.dataDir, 'desktop-settings.json'))
    hardenSession(this.e.session.defaultSession, this.o.loc)
    this.disposeIpc = registerOperationHandlers(this.e.ipcMain, { resolve: (ev) => this.registry.resolve(ev), log: this.log })
    this.policy = new NotificationPolicy({ settings: () => this.settings.get().notifications, show: (n) => this.notify(n.title, n.body) })
    try {
      this.tray = new TrayController(this.e, this.actions, {
        connection: 'stopped',
        server: null,
        online: null,
        offline: null,
        keepRunningInTray: this.settings.get().keepRunningInTray,
      })
    } catch (e) {
      this.log.warn('no tray icon on this desktop; closing the window will quit', e)
    }
    this.settings.onChange(() => this.refreshMenus())
    this.refreshMenus()
    await this.startLive()
    return true
  }

  /** The running live core, if any. */
  get liveConsole(): RunningConsole | null {
    return this.live
  }

  get mainWindow(): WindowEntry | null {
    return this.main
  }

  private readConfig(extra: Flags = {}): ConsoleConfig {
    return (this.o.loadConfig ?? ((f: Flags) => loadConfig(f)))({ ...this.flags, ...extra })
  }

  private startCore(config: ConsoleConfig, opts: StartOptions): Promise<RunningConsole> {
    return (this.o.startCore ?? startConsole)(config, { log: this.log, ...opts })
  }

  /** Start (or retry) the live core; the dashboard loads once it runs. */
  startLive(): Promise<void> {
    if (this.liveStarting) return this.liveStarting
    if (this.live) return Promise.resolve()
    this.liveStarting = this.bootLive().finally(() => {
      this.liveStarting = null
    })
    return this.liveStarting
  }

  private async bootLive(): Promise<void> {
    let config: ConsoleConfig
    try {
      config = this.readConfig()
    } catch (e) {
      this.showLiveError(errorText(e))
      return
    }
    this.liveConfig = config
    this.dataDir = config.dataDir
    // The core starts first; the window shows a startup screen until it is ready.
    const starting = this.startCore(config, { subsystems: (this.o.subsystems ?? defaultSubsystems)(config) })
    const entry = this.ensureMainWindow()
    this.load(entry, startupScreenUrl())
    let running: RunningConsole
    try {
      running = await starting
    } catch (e) {
      this.log.error('the console could not start', e)
      this.showLiveError(errorText(e))
      return
    }
    if (this.quitting) {
      await running.stop()
      return
    }
    this.live = running
    this.watchLiveCore(running.core)
    this.refreshMenus()
    const main = this.main
    if (main && !main.win.isDestroyed()) await this.showDashboard(main, running.core)
  }

  private showLiveError(message: string): void {
    const entry = this.ensureMainWindow()
    this.registry.detach(entry)
    this.load(entry, errorScreenUrl(message))
    this.tray?.update({ connection: 'stopped', online: null, offline: null })
  }

  private watchLiveCore(core: CoreServices): void {
    const snap = connectionSnapshot(core)
    this.tray?.update({ connection: snap.state, server: snap.server })
    if (!core.readonly) {
      this.monitor = new FleetMonitor({
        read: () => readFleetStatus(core.db, core.now()),
        onStatus: (s) => this.tray?.update({ online: s.online, offline: s.offline }),
        onError: (e) => this.log.warn('reading the fleet status failed', e),
      })
      this.monitor.start()
    }
    this.liveUnsubscribe = core.bus.subscribe((ev: PushEvent) => {
      if (ev.type === 'connection.state') {
        const s = ev.data as ConnectionState
        this.tray?.update({ connection: s.state, server: s.server })
      } else if (ev.type === 'agents.changed') {
        this.monitor?.refreshSoon()
      }
      this.policy?.onEvent(ev)
    })
  }

  private load(entry: WindowEntry, url: string): Promise<void> {
    if (entry.win.isDestroyed()) return Promise.resolve()
    // A load replaced by the next one rejects (ERR_ABORTED); only the last one matters.
    return entry.win.loadURL(url).catch((e: unknown) => this.log.debug(`load of ${url.slice(0, 40)} ended`, e))
  }

  private async showDashboard(entry: WindowEntry, core: CoreServices): Promise<void> {
    this.registry.attach(entry, core)
    await this.load(entry, this.o.loc.entryUrl)
    if (!entry.win.isDestroyed() && this.registry.showsDashboard(entry)) {
      // The page learns the link state at once instead of waiting for the next change.
      entry.win.webContents.send(IPC_EVENT_CHANNEL, { type: 'connection.state', data: connectionSnapshot(core) })
    }
  }

  private newWindow(mode: WindowMode, title: string, state: WindowState): WindowEntry {
    const win = createConsoleWindow({
      electron: this.e,
      preload: this.o.preload,
      loc: this.o.loc,
      mode,
      opNames: this.opNames,
      title,
      state,
      onAction: (a) => this.onAction(a),
    })
    win.webContents.on('render-process-gone', (_ev, details) => this.log.warn(`a console window's renderer ended: ${details.reason}`))
    return this.registry.add(win, mode)
  }

  private ensureMainWindow(): WindowEntry {
    if (this.main && !this.main.win.isDestroyed()) return this.main
    const stateFile = join(this.dataDir, 'window-state.json')
    const state = loadWindowState(stateFile, this.e.screen.getAllDisplays().map((d) => d.workArea))
    const review = this.liveConfig?.reviewDb
    const entry = this.newWindow(review ? 'review' : 'live', review ? `kanade console — review of ${basename(review)} (read-only)` : 'kanade console', state)
    trackWindowState(entry.win, stateFile)
    entry.win.on('close', (ev) => {
      if (this.quitting || !this.tray || !this.live || !this.settings.get().keepRunningInTray) return
      // Keep the core (projectors, schedules) running; the tray brings the window back.
      ev.preventDefault()
      entry.win.hide()
      if (!this.toldAboutTray) {
        this.toldAboutTray = true
        this.notify('kanade console is still running', 'Schedules keep firing. Open or quit it from the tray icon.')
      }
    })
    entry.win.on('closed', () => {
      if (this.main === entry) this.main = null
    })
    // Windows log-off/shutdown: the tray must not hold the session; stop the core now.
    entry.win.on('session-end', () => this.e.app.quit())
    this.main = entry
    return entry
  }

  showMainWindow(): void {
    if (this.stopped || this.quitting) return
    const existed = !!this.main && !this.main.win.isDestroyed()
    const entry = this.ensureMainWindow()
    if (!existed && this.live) void this.showDashboard(entry, this.live.core)
    if (entry.win.isMinimized()) entry.win.restore()
    entry.win.show()
    entry.win.focus()
  }

  private onAction(action: string): void {
    if (action === 'retry') this.actions.retryStart()
    else if (action === 'open-database') this.actions.openDatabase()
    else if (action === 'quit') this.actions.quit()
    else this.log.warn(`unknown screen action "${action}"`)
  }

  async openDatabase(): Promise<void> {
    const r = await this.e.dialog.showOpenDialog({
      title: 'Open a console database for review (read-only)',
      properties: ['openFile'],
      filters: [
        { name: 'Console database', extensions: ['db', 'sqlite', 'sqlite3'] },
        { name: 'All files', extensions: ['*'] },
      ],
    })
    if (r.canceled || !r.filePaths[0]) return
    await this.openReview(r.filePaths[0])
  }

  /** A window browsing `file` read-only, served by its own core (no NATS, no HTTP). */
  async openReview(file: string): Promise<WindowEntry | null> {
    let config: ConsoleConfig
    try {
      config = reviewConfig(this.liveConfig ?? this.readConfig(), file)
    } catch (e) {
      this.e.dialog.showErrorBox('Cannot open the database', errorText(e))
      return null
    }
    const starting = this.startCore(config, { http: false, subsystems: (this.o.subsystems ?? defaultSubsystems)(config) })
    const entry = this.newWindow('review', `kanade console — review of ${basename(file)} (read-only)`, { ...DEFAULT_STATE })
    entry.win.on('closed', () => {
      const r = this.reviews.get(entry)
      this.reviews.delete(entry)
      if (r) void r.stop().catch((e) => this.log.warn('closing a review failed', e))
    })
    this.load(entry, startupScreenUrl(`Opening ${basename(file)} read-only…`))
    let running: RunningConsole
    try {
      running = await starting
    } catch (e) {
      this.load(entry, errorScreenUrl(`${file}: ${errorText(e)}`, { canRetry: false }))
      return entry
    }
    if (entry.win.isDestroyed() || this.quitting) {
      await running.stop()
      return null
    }
    this.reviews.set(entry, running)
    this.refreshMenus()
    await this.showDashboard(entry, running.core)
    return entry
  }

  /** The core behind the focused window, else the live one. */
  private currentCore(): CoreServices | null {
    const focused = this.e.BrowserWindow.getFocusedWindow()
    const entry = this.registry.all().find((x) => x.win === focused)
    return entry?.core ?? this.live?.core ?? null
  }

  async exportCurrent(): Promise<void> {
    const core = this.currentCore()
    if (!core) return
    const r = await this.e.dialog.showSaveDialog({
      title: 'Export the console database',
      defaultPath: join(this.e.app.getPath('documents'), exportFileName(new Date())),
      filters: [{ name: 'Console database', extensions: ['db'] }],
    })
    if (r.canceled || !r.filePath) return
    try {
      const done = await exportDatabase(core.db, core.config.dbPath, r.filePath)
      await this.e.dialog.showMessageBox({
        type: 'info',
        message: 'Database exported',
        detail: `${done.path}\nOpen it with File → Open database for review, or \`kanade-console serve --review <file>\`.`,
      })
    } catch (e) {
      this.e.dialog.showErrorBox('Export failed', errorText(e))
    }
  }

  private refreshMenus(): void {
    if (!this.settings) return
    const s = this.settings.get()
    const template = appMenuTemplate({ platform: this.o.platform, isDev: this.o.isDev, settings: s, canExport: !!this.live || this.reviews.size > 0 }, this.actions)
    this.e.Menu.setApplicationMenu(this.e.Menu.buildFromTemplate(template))
    this.tray?.update({ keepRunningInTray: s.keepRunningInTray })
  }

  private notify(title: string, body: string): void {
    const { Notification, nativeImage } = this.e
    if (!Notification.isSupported()) return
    const n = new Notification({ title, body, icon: nativeImage.createFromBuffer(appIconPng(128)) })
    n.on('click', () => this.showMainWindow())
    n.show()
  }

  private onBeforeQuit(ev: { preventDefault(): void }): void {
    if (this.stopped) return
    ev.preventDefault()
    this.quitting = true
    if (this.stopping) return
    this.stopping = this.stopAll().finally(() => {
      this.stopped = true
      this.e.app.quit()
    })
  }

  /** Stop every core (live and reviews), waiting for one still starting; bounded in time. */
  async stopAll(): Promise<void> {
    this.monitor?.stop()
    this.policy?.dispose()
    this.liveUnsubscribe?.()
    this.disposeIpc?.()
    this.tray?.destroy()
    const work = (async () => {
      await this.liveStarting?.catch(() => undefined)
      const cores = [...this.reviews.values(), ...(this.live ? [this.live] : [])]
      this.reviews.clear()
      this.live = null
      for (const r of cores) {
        try {
          await r.stop()
        } catch (e) {
          this.log.error('stopping the core failed', e)
        }
      }
    })()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.error('the core did not stop in time; quitting anyway')
        resolve()
      }, this.o.stopTimeoutMs ?? 20_000)
    })
    await Promise.race([work, timeout])
    clearTimeout(timer)
  }
}
