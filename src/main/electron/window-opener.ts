import { IPC_EVENT_CHANNEL } from '../../shared/api/op'
import type { Logger } from '../core/log'
import type { CoreServices } from '../core/services'
import type { AppLocation } from './app-location'
import { connectionSnapshot } from './connection-snapshot'
import type { ElectronMain } from './deps'
import { operationNames } from './ipc'
import { createConsoleWindow, type WindowEntry, type WindowMode, type WindowRegistry } from './window'
import type { WindowState } from './window-state'

// Opens console windows (live and review alike) into the registry and loads their pages:
// startup and error screens, then the dashboard once a core serves the window.

export interface WindowOpenerOptions {
  electron: ElectronMain
  preload: string
  loc: AppLocation
  registry: WindowRegistry
  log: Logger
  /** A button on a startup/error screen (retry, open-database, quit). */
  onAction(action: string): void
}

export class WindowOpener {
  private readonly opNames = operationNames()

  constructor(private readonly o: WindowOpenerOptions) {}

  open(mode: WindowMode, title: string, state: WindowState): WindowEntry {
    const win = createConsoleWindow({
      electron: this.o.electron,
      preload: this.o.preload,
      loc: this.o.loc,
      mode,
      opNames: this.opNames,
      title,
      state,
      onAction: (a) => this.o.onAction(a),
    })
    win.webContents.on('render-process-gone', (_ev, details) => this.o.log.warn(`a console window's renderer ended: ${details.reason}`))
    return this.o.registry.add(win, mode)
  }

  load(entry: WindowEntry, url: string): Promise<void> {
    if (entry.win.isDestroyed()) return Promise.resolve()
    // A load replaced by the next one rejects (ERR_ABORTED); only the last one matters.
    return entry.win.loadURL(url).catch((e: unknown) => this.o.log.debug(`load of ${url.slice(0, 40)} ended`, e))
  }

  /** Let `core` serve the window and load the dashboard into it. */
  async showDashboard(entry: WindowEntry, core: CoreServices): Promise<void> {
    this.o.registry.attach(entry, core)
    await this.load(entry, this.o.loc.entryUrl)
    if (!entry.win.isDestroyed() && this.o.registry.showsDashboard(entry)) {
      // The page learns the link state at once instead of waiting for the next change.
      entry.win.webContents.send(IPC_EVENT_CHANNEL, { type: 'connection.state', data: connectionSnapshot(core) })
    }
  }
}
