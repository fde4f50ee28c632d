import type { PushEvent } from '../../shared/events'
import type { CoreServices } from '../core/services'
import type { AppLocation } from './app-location'
import type { BrowserWindow, ElectronMain, IpcMainInvokeEvent } from './deps'
import { appIconPng } from './icon'
import { forwardEvents } from './ipc'
import { hardenWebContents, isTrustedSender, secureWebPreferences } from './security'
import { MIN_SIZE, type WindowState } from './window-state'

// Console windows (the live console and offline-review windows) and which core serves each.

// Switches read by the preload (src/preload/channels.ts, kept equal by a unit test).
export const OPS_SWITCH = '--kanade-ops='
export const MODE_SWITCH = '--kanade-mode='

export type WindowMode = 'live' | 'review'

export interface ConsoleWindowOptions {
  electron: Pick<ElectronMain, 'BrowserWindow' | 'nativeImage' | 'shell'>
  preload: string
  loc: AppLocation
  mode: WindowMode
  opNames: readonly string[]
  title: string
  state: WindowState
  onAction(action: string): void
}

export function createConsoleWindow(o: ConsoleWindowOptions): BrowserWindow {
  const win = new o.electron.BrowserWindow({
    ...(o.state.x !== undefined && o.state.y !== undefined ? { x: o.state.x, y: o.state.y } : {}),
    width: o.state.width,
    height: o.state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: o.title,
    show: false,
    backgroundColor: '#f5f6f8',
    icon: o.electron.nativeImage.createFromBuffer(appIconPng(256)),
    webPreferences: secureWebPreferences(o.preload, [`${OPS_SWITCH}${o.opNames.join(',')}`, `${MODE_SWITCH}${o.mode}`]),
  })
  hardenWebContents(win.webContents, {
    loc: o.loc,
    openExternal: (url) => void o.electron.shell.openExternal(url),
    onAction: o.onAction,
  })
  // The page sets document.title; the window keeps ours (mode and file matter more).
  win.on('page-title-updated', (e) => e.preventDefault())
  win.once('ready-to-show', () => {
    if (o.state.maximized) win.maximize()
    win.show()
  })
  return win
}

export interface WindowEntry {
  win: BrowserWindow
  mode: WindowMode
  /** The core serving this window; null while starting or after a failed start. */
  core: CoreServices | null
  /** Stops forwarding events to the window. */
  unforward: (() => void) | null
}

export class WindowRegistry {
  private entries = new Set<WindowEntry>()

  constructor(private readonly loc: AppLocation) {}

  add(win: BrowserWindow, mode: WindowMode): WindowEntry {
    const entry: WindowEntry = { win, mode, core: null, unforward: null }
    this.entries.add(entry)
    win.on('closed', () => this.remove(entry))
    return entry
  }

  remove(entry: WindowEntry): void {
    entry.unforward?.()
    entry.unforward = null
    this.entries.delete(entry)
  }

  all(): WindowEntry[] {
    return [...this.entries]
  }

  /** Serve `entry` from `core` and push the core's events to its window. */
  attach(entry: WindowEntry, core: CoreServices): void {
    entry.unforward?.()
    entry.core = core
    const wc = entry.win.webContents
    entry.unforward = forwardEvents(
      (fn: (e: PushEvent) => void) => core.bus.subscribe(fn),
      wc,
      () => this.loc.isAppUrl(wc.getURL()),
    )
  }

  detach(entry: WindowEntry): void {
    entry.unforward?.()
    entry.unforward = null
    entry.core = null
  }

  showsDashboard(entry: WindowEntry): boolean {
    return !entry.win.isDestroyed() && this.loc.isAppUrl(entry.win.webContents.getURL())
  }

  /** The core for an IPC call, or null: unknown window, wrong frame, not the dashboard, no core. */
  resolve(event: IpcMainInvokeEvent): CoreServices | null {
    for (const e of this.entries) {
      if (e.win.isDestroyed() || e.win.webContents.id !== event.sender.id) continue
      if (!isTrustedSender(event.senderFrame, e.win.webContents, this.loc)) return null
      return e.core
    }
    return null
  }
}
