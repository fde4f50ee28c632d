import type { ConnectionState } from '../../shared/events'
import type { DesktopActions } from './actions'
import type { ElectronMain, MenuItemConstructorOptions } from './deps'
import { appIconPng } from './icon'

// The tray icon: connection state and online/offline counts at a glance, open and quit.

export interface TrayState {
  connection: ConnectionState['state'] | 'stopped'
  server: string | null
  online: number | null
  offline: number | null
  keepRunningInTray: boolean
}

export function connectionLabel(s: TrayState): string {
  if (s.connection === 'stopped') return 'Console not running'
  if (s.connection === 'offline_review') return 'Offline review (no NATS)'
  return `NATS: ${s.connection}${s.server ? ` (${s.server})` : ''}`
}

export function countsLabel(s: TrayState): string {
  if (s.online === null || s.offline === null) return 'Agents: –'
  return `Agents: ${s.online} online, ${s.offline} offline`
}

export function trayTooltip(s: TrayState): string {
  return `kanade console — ${connectionLabel(s)} — ${countsLabel(s)}`
}

export function trayMenuTemplate(s: TrayState, actions: DesktopActions): MenuItemConstructorOptions[] {
  return [
    { label: connectionLabel(s), enabled: false },
    { label: countsLabel(s), enabled: false },
    { type: 'separator' },
    { label: 'Open console', click: () => actions.openWindow() },
    {
      label: 'Keep running when the window is closed',
      type: 'checkbox',
      checked: s.keepRunningInTray,
      click: (item) => actions.setKeepRunningInTray(item.checked),
    },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit() },
  ]
}

export class TrayController {
  private tray: InstanceType<ElectronMain['Tray']>
  private state: TrayState

  constructor(
    private readonly electron: Pick<ElectronMain, 'Tray' | 'Menu' | 'nativeImage'>,
    private readonly actions: DesktopActions,
    initial: TrayState,
  ) {
    this.state = initial
    const icon = electron.nativeImage.createFromBuffer(appIconPng(32)).resize({ width: 16, height: 16 })
    this.tray = new electron.Tray(icon)
    this.tray.on('click', () => actions.openWindow())
    this.render()
  }

  update(change: Partial<TrayState>): void {
    this.state = { ...this.state, ...change }
    this.render()
  }

  get current(): TrayState {
    return this.state
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy()
  }

  private render(): void {
    if (this.tray.isDestroyed()) return
    this.tray.setToolTip(trayTooltip(this.state))
    this.tray.setContextMenu(this.electron.Menu.buildFromTemplate(trayMenuTemplate(this.state, this.actions)))
  }
}
