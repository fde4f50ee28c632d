import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, screen, session, shell, Tray } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setSqliteNativeBinding } from './core/db/open'
import { devLocation, fileLocation } from './electron/app-location'
import { DesktopShell } from './electron/desktop'
import { sqliteBindingPath } from './electron/native-sqlite'

// Electron entry: the only place that imports Electron's values; everything else under
// electron/ receives them through ElectronMain (so it is unit-tested with fakes).

// Every renderer sandboxed, whatever a window asks for.
app.enableSandbox()

setSqliteNativeBinding(
  sqliteBindingPath({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, exists: existsSync }),
)

const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const shell_ = new DesktopShell({
  electron: { app, BrowserWindow, ipcMain, session, shell, Menu, Tray, Notification, dialog, screen, nativeImage },
  // Flags as for `serve` (--nats-url, --data-dir, --review FILE …) after the app path.
  argv: process.argv.slice(app.isPackaged ? 1 : 2),
  preload: join(__dirname, '../preload/index.cjs'),
  loc: devServer ? devLocation(devServer) : fileLocation(join(__dirname, '../renderer/index.html')),
  isDev: !!devServer,
  platform: process.platform,
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())

shell_.start().catch((e: unknown) => {
  console.error('kanade-console: the desktop shell failed to start', e)
  app.exit(1)
})
