import { basename } from 'node:path'
import type { ConsoleConfig } from '../core/config'
import type { RunningConsole, StartOptions } from '../core/console'
import type { Logger } from '../core/log'
import type { ElectronMain } from './deps'
import { reviewConfig } from './review'
import { errorScreenUrl, startupScreenUrl } from './screens'
import type { WindowEntry } from './window'
import type { WindowOpener } from './window-opener'
import { DEFAULT_STATE } from './window-state'

// Offline-review windows: each browses a console database read-only, served by its own core
// (no NATS, no HTTP) that stops when its window closes or the app quits.

export interface ReviewWindowsOptions {
  electron: Pick<ElectronMain, 'dialog'>
  windows: WindowOpener
  log: Logger
  /** The configuration a review derives from (throws when it cannot be read). */
  baseConfig(): ConsoleConfig
  startCore(config: ConsoleConfig, opts: StartOptions): Promise<RunningConsole>
  quitting(): boolean
  /** A review core started (the menus offer export). */
  onOpened(): void
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

export class ReviewWindows {
  private readonly reviews = new Map<WindowEntry, RunningConsole>()

  constructor(private readonly o: ReviewWindowsOptions) {}

  get size(): number {
    return this.reviews.size
  }

  /** Ask for a database file, then open it for review. */
  async pickAndOpen(): Promise<void> {
    const r = await this.o.electron.dialog.showOpenDialog({
      title: 'Open a console database for review (read-only)',
      properties: ['openFile'],
      filters: [
        { name: 'Console database', extensions: ['db', 'sqlite', 'sqlite3'] },
        { name: 'All files', extensions: ['*'] },
      ],
    })
    if (r.canceled || !r.filePaths[0]) return
    await this.open(r.filePaths[0])
  }

  /** A window browsing `file` read-only, served by its own core. */
  async open(file: string): Promise<WindowEntry | null> {
    let config: ConsoleConfig
    try {
      config = reviewConfig(this.o.baseConfig(), file)
    } catch (e) {
      this.o.electron.dialog.showErrorBox('Cannot open the database', errorText(e))
      return null
    }
    const { windows } = this.o
    const starting = this.o.startCore(config, { http: false })
    const entry = windows.open('review', `kanade console — review of ${basename(file)} (read-only)`, { ...DEFAULT_STATE })
    entry.win.on('closed', () => {
      const r = this.reviews.get(entry)
      this.reviews.delete(entry)
      if (r) void r.stop().catch((e) => this.o.log.warn('closing a review failed', e))
    })
    windows.load(entry, startupScreenUrl(`Opening ${basename(file)} read-only…`))
    let running: RunningConsole
    try {
      running = await starting
    } catch (e) {
      windows.load(entry, errorScreenUrl(`${file}: ${errorText(e)}`, { canRetry: false }))
      return entry
    }
    if (entry.win.isDestroyed() || this.o.quitting()) {
      await running.stop()
      return null
    }
    this.reviews.set(entry, running)
    this.o.onOpened()
    await windows.showDashboard(entry, running.core)
    return entry
  }

  /** Hand over every running review core (for the caller to stop) and forget them. */
  takeAll(): RunningConsole[] {
    const cores = [...this.reviews.values()]
    this.reviews.clear()
    return cores
  }
}
