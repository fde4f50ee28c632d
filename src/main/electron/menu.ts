import type { DesktopActions } from './actions'
import type { MenuItemConstructorOptions } from './deps'
import type { DesktopSettings } from './settings'

// The application menu: offline review and export under File, desktop settings, the usual
// edit/view/window roles. Developer tools only in development builds.

export interface AppMenuOptions {
  platform: string
  isDev: boolean
  settings: DesktopSettings
  /** Export needs a running database. */
  canExport: boolean
}

export function appMenuTemplate(o: AppMenuOptions, actions: DesktopActions): MenuItemConstructorOptions[] {
  const n = o.settings.notifications
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open database for review…', accelerator: 'CmdOrCtrl+O', click: () => actions.openDatabase() },
      { label: 'Export database…', enabled: o.canExport, click: () => actions.exportDatabase() },
      { type: 'separator' },
      { label: 'Close window', role: 'close' },
      { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
    ],
  }
  const settings: MenuItemConstructorOptions = {
    label: 'Settings',
    submenu: [
      {
        label: 'Keep running in the tray when the window is closed',
        type: 'checkbox',
        checked: o.settings.keepRunningInTray,
        click: (item) => actions.setKeepRunningInTray(item.checked),
      },
      { type: 'separator' },
      { label: 'Notify when', enabled: false },
      {
        label: 'an execution finishes',
        type: 'checkbox',
        checked: n.executionFinished,
        click: (item) => actions.setNotification('executionFinished', item.checked),
      },
      {
        label: 'an agent goes offline',
        type: 'checkbox',
        checked: n.agentOffline,
        click: (item) => actions.setNotification('agentOffline', item.checked),
      },
      {
        label: 'a dead letter appears',
        type: 'checkbox',
        checked: n.deadLetter,
        click: (item) => actions.setNotification('deadLetter', item.checked),
      },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(o.isDev ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
  const menus: MenuItemConstructorOptions[] = [file, { role: 'editMenu' }, view, settings, { role: 'windowMenu' }]
  return o.platform === 'darwin' ? [{ role: 'appMenu' }, ...menus] : menus
}
