import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'
import { loadConfig } from './core/config'
import { startConsole, type RunningConsole } from './core/console'
import { defaultSubsystems } from './core/subsystems'

// Electron entry (foundation version): start the core, open a window, stop the core on quit.

let running: RunningConsole | null = null

async function boot(): Promise<void> {
  const config = loadConfig({})
  running = await startConsole(config, { subsystems: defaultSubsystems(config) })
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  })
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else await win.loadFile(join(__dirname, '../renderer/index.html'))
}

app.whenReady().then(boot).catch((e) => {
  console.error(e)
  app.quit()
})

app.on('before-quit', (ev) => {
  if (!running) return
  ev.preventDefault()
  const r = running
  running = null
  void r.stop().finally(() => app.quit())
})
