import { basename, join } from 'node:path'
import { defaultDataDir, loadConfig, parseFlags, type ConsoleConfig, type Flags } from '../core/config'
import { startConsole, type RunningConsole, type StartOptions, type SubsystemFactory } from '../core/console'
import { createLogger, type Logger } from '../core/log'
import type { CoreServices } from '../core/services'
import { defaultSubsystems } from '../core/subsystems'
import type { DesktopActions } from './actions'
import type { AppLocation } from './app-location'
import type { ElectronMain } from './deps'
import { exportWithDialog } from './export-dialog'
import { registerOperationHandlers } from './ipc'
import { LiveStatus } from './live-status'
import { appMenuTemplate } from './menu'
import { ReviewWindows } from './review-windows'
import { errorScreenUrl, startupScreenUrl } from './screens'
import { hardenSession } from './security'
import { SettingsStore } from './settings'
import { WindowRegistry, type WindowEntry } from './window'
import { WindowOpener } from './window-opener'
import { loadWindowState, trackWindowState } from './window-state'

// The desktop shell: single instance, the live core started before the dashboard loads (a
// startup screen meanwhile, an error screen with a hint when it fails), the main console
// window, menus, and a quit that stops every core before the process ends. Offline-review
// windows (review-windows.ts), the tray and notifications (live-status.ts) are delegated.

export { connectionSnapshot } from './connection-snapshot'

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

export class DesktopShell {
  readonly registry: WindowRegistry
  private readonly e: ElectronMain
  private readonly log: Logger
  private readonly flags: Flags
  private readonly windows: WindowOpener
  private readonly reviews: ReviewWindows
  private settings!: SettingsStore
  private dataDir: string
  private main: WindowEntry | null = null
  private live: RunningConsole | null = null
  private liveStarting: Promise<void> | null = null
  private liveConfig: ConsoleConfig | null = null
  private status: LiveStatus | null = null
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
    this.windows = new WindowOpener({
      electron: this.e,
      preload: o.preload,
      loc: o.loc,
      registry: this.registry,
      log: this.log,
      onAction: (a) => this.onAction(a),
    })
    this.reviews = new ReviewWindows({
      electron: this.e,
      windows: this.windows,
      log: this.log,
      baseConfig: () => this.liveConfig ?? this.readConfig(),
      startCore: (config, opts) => this.startCore(config, opts),
      quitting: () => this.quitting,
      onOpened: () => this.refreshMenus(),
    })
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
    this.status = new LiveStatus({
      electron: this.e,
      actions: this.actions,
      settings: this.settings,
      log: this.log,
      onNotificationClick: () => this.showMainWindow(),
    })
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

  private startCore(config: ConsoleConfig, opts: StartOptions = {}): Promise<RunningConsole> {
    const subsystems = (this.o.subsystems ?? defaultSubsystems)(config)
    return (this.o.startCore ?? startConsole)(config, { log: this.log, ...opts, subsystems })
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
    const starting = this.startCore(config)
    const entry = this.ensureMainWindow()
    this.windows.load(entry, startupScreenUrl())
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
    this.status?.watch(running.core)
    this.refreshMenus()
    const main = this.main
    if (main && !main.win.isDestroyed()) await this.windows.showDashboard(main, running.core)
  }

  private showLiveError(message: string): void {
    const entry = this.ensureMainWindow()
    this.registry.detach(entry)
    this.windows.load(entry, errorScreenUrl(message))
    this.status?.updateTray({ connection: 'stopped', online: null, offline: null })
  }

  private ensureMainWindow(): WindowEntry {
    if (this.main && !this.main.win.isDestroyed()) return this.main
    const stateFile = join(this.dataDir, 'window-state.json')
    const state = loadWindowState(stateFile, this.e.screen.getAllDisplays().map((d) => d.workArea))
    const review = this.liveConfig?.reviewDb
    const title = review ? `kanade console — review of ${basename(review)} (read-only)` : 'kanade console'
    const entry = this.windows.open(review ? 'review' : 'live', title, state)
    trackWindowState(entry.win, stateFile)
    entry.win.on('close', (ev) => {
      if (this.quitting || !this.status?.hasTray || !this.live || !this.settings.get().keepRunningInTray) return
      // Keep the core (projectors, schedules) running; the tray brings the window back.
      ev.preventDefault()
      entry.win.hide()
      if (!this.toldAboutTray) {
        this.toldAboutTray = true
        this.status.notify('kanade console is still running', 'Schedules keep firing. Open or quit it from the tray icon.')
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
    if (!existed && this.live) void this.windows.showDashboard(entry, this.live.core)
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

  /** Ask for a database file and open it in a review window. */
  openDatabase(): Promise<void> {
    return this.reviews.pickAndOpen()
  }

  /** A window browsing `file` read-only, served by its own core (no NATS, no HTTP). */
  openReview(file: string): Promise<WindowEntry | null> {
    return this.reviews.open(file)
  }

  /** The core behind the focused window, else the live one. */
  private currentCore(): CoreServices | null {
    const focused = this.e.BrowserWindow.getFocusedWindow()
    const entry = this.registry.all().find((x) => x.win === focused)
    return entry?.core ?? this.live?.core ?? null
  }

  async exportCurrent(): Promise<void> {
    const core = this.currentCore()
    if (core) await exportWithDialog(this.e, core)
  }

  private refreshMenus(): void {
    if (!this.settings) return
    const s = this.settings.get()
    const template = appMenuTemplate({ platform: this.o.platform, isDev: this.o.isDev, settings: s, canExport: !!this.live || this.reviews.size > 0 }, this.actions)
    this.e.Menu.setApplicationMenu(this.e.Menu.buildFromTemplate(template))
    this.status?.updateTray({ keepRunningInTray: s.keepRunningInTray })
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
    this.status?.dispose()
    this.disposeIpc?.()
    const work = (async () => {
      await this.liveStarting?.catch(() => undefined)
      const cores = [...this.reviews.takeAll(), ...(this.live ? [this.live] : [])]
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
