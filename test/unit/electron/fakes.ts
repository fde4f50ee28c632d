import { EventEmitter } from 'node:events'
import type { ElectronMain } from '../../../src/main/electron/deps'

// Fakes of the parts of Electron the desktop shell uses, injected through ElectronMain.
// They record what the shell asked for (options, loads, sends, menus, notifications) and
// let a test play Electron's side (navigation attempts, IPC calls, quitting).

let nextId = 1

export interface Preventable {
  defaultPrevented: boolean
  preventDefault(): void
}

export function preventable(): Preventable {
  const e = {
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true
    },
  }
  return e
}

export class FakeFrame {
  parent: FakeFrame | null = null
  constructor(
    public url: string,
    public processId: number,
    public routingId: number,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++
  mainFrame: FakeFrame
  loads: string[] = []
  sent: { channel: string; args: unknown[] }[] = []
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null
  destroyed = false

  constructor() {
    super()
    this.mainFrame = new FakeFrame('', 100 + this.id, 1)
  }

  getURL(): string {
    return this.mainFrame.url
  }

  async loadURL(url: string): Promise<void> {
    this.loads.push(url)
    this.mainFrame.url = url
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args })
  }

  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = fn
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  /** Play a renderer-initiated navigation; returns whether the shell prevented it. */
  navigate(url: string): boolean {
    const ev = preventable()
    this.emit('will-navigate', ev, url)
    return ev.defaultPrevented
  }

  /** A child frame inside the page (an iframe). */
  childFrame(url: string): FakeFrame {
    const f = new FakeFrame(url, this.mainFrame.processId, this.mainFrame.routingId + 1)
    f.parent = this.mainFrame
    return f
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = []
  static focused: FakeBrowserWindow | null = null
  static getFocusedWindow() {
    return FakeBrowserWindow.focused
  }

  webContents = new FakeWebContents()
  visible = false
  destroyed = false
  maximized = false
  minimized = false

  constructor(public options: Record<string, unknown>) {
    super()
    FakeBrowserWindow.instances.push(this)
    // Electron emits ready-to-show after the first paint.
    queueMicrotask(() => this.emit('ready-to-show'))
  }

  loadURL(url: string) {
    return this.webContents.loadURL(url)
  }
  show() {
    this.visible = true
  }
  hide() {
    this.visible = false
  }
  focus() {
    FakeBrowserWindow.focused = this
  }
  isMinimized() {
    return this.minimized
  }
  restore() {
    this.minimized = false
  }
  maximize() {
    this.maximized = true
  }
  isMaximized() {
    return this.maximized
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: (this.options.width as number) ?? 1280, height: (this.options.height as number) ?? 800 }
  }
  isDestroyed() {
    return this.destroyed
  }
  /** Like a click on the close button: 'close' may be prevented, else the window goes. */
  close() {
    if (this.destroyed) return
    const ev = preventable()
    this.emit('close', ev)
    if (ev.defaultPrevented) return
    this.destroyed = true
    this.webContents.destroyed = true
    this.emit('closed')
  }
}

export class FakeIpcMain {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, fn)
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  }
  /** Call a channel as the renderer would, from `frame` of `sender`. */
  async invoke(channel: string, sender: FakeWebContents, frame: FakeFrame | null, ...args: unknown[]) {
    const fn = this.handlers.get(channel)
    if (!fn) throw new Error(`No handler registered for '${channel}'`)
    return fn({ sender, senderFrame: frame, processId: frame?.processId, frameId: frame?.routingId }, ...args)
  }
}

export class FakeSession {
  headersListener: ((details: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | null = null
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void, details: { requestingUrl: string }) => void) | null = null
  permissionCheck: ((wc: unknown, permission: string, origin: string) => boolean) | null = null
  devicePermission: (() => boolean) | null = null
  webRequest = {
    onHeadersReceived: (fn: NonNullable<FakeSession['headersListener']>) => {
      this.headersListener = fn
    },
  }
  setPermissionRequestHandler(fn: NonNullable<FakeSession['permissionRequest']>) {
    this.permissionRequest = fn
  }
  setPermissionCheckHandler(fn: NonNullable<FakeSession['permissionCheck']>) {
    this.permissionCheck = fn
  }
  setDevicePermissionHandler(fn: () => boolean) {
    this.devicePermission = fn
  }
}

export class FakeApp extends EventEmitter {
  hasLock = true
  quitCalls = 0
  quitted = false
  exitCode: number | null = null
  isPackaged = false
  windows: () => FakeBrowserWindow[] = () => FakeBrowserWindow.instances

  requestSingleInstanceLock() {
    return this.hasLock
  }
  whenReady() {
    return Promise.resolve()
  }
  setAppUserModelId() {}
  getAppPath() {
    return '/app'
  }
  getPath() {
    return '/home/user/Documents'
  }
  /** Electron's order: before-quit (preventable), then every window closes, then will-quit. */
  quit() {
    this.quitCalls++
    const ev = preventable()
    this.emit('before-quit', ev)
    if (ev.defaultPrevented) return
    for (const w of this.windows()) w.close()
    this.quitted = true
    this.emit('will-quit', preventable())
    this.emit('quit')
  }
  exit(code: number) {
    this.exitCode = code
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = []
  tooltip = ''
  menu: { template: unknown[] } | null = null
  destroyed = false
  constructor(public image: unknown) {
    super()
    FakeTray.instances.push(this)
  }
  setToolTip(t: string) {
    this.tooltip = t
  }
  setContextMenu(m: { template: unknown[] }) {
    this.menu = m
  }
  destroy() {
    this.destroyed = true
  }
  isDestroyed() {
    return this.destroyed
  }
}

export class FakeNotification extends EventEmitter {
  static shown: { title: string; body: string }[] = []
  static isSupported() {
    return true
  }
  constructor(public opts: { title: string; body: string }) {
    super()
  }
  show() {
    FakeNotification.shown.push({ title: this.opts.title, body: this.opts.body })
  }
}

export interface FakeElectron {
  electron: ElectronMain
  app: FakeApp
  ipcMain: FakeIpcMain
  session: FakeSession
  opened: string[]
  appMenu: { template: unknown[] } | null
  dialog: {
    openPaths: string[]
    savePath: string | null
    errors: { title: string; content: string }[]
    messages: unknown[]
  }
}

/** A fresh set of fakes (static registries reset). */
export function fakeElectron(): FakeElectron {
  FakeBrowserWindow.instances = []
  FakeBrowserWindow.focused = null
  FakeTray.instances = []
  FakeNotification.shown = []
  const app = new FakeApp()
  const ipcMain = new FakeIpcMain()
  const session = new FakeSession()
  const f: FakeElectron = {
    electron: null as unknown as ElectronMain,
    app,
    ipcMain,
    session,
    opened: [],
    appMenu: null,
    dialog: { openPaths: [], savePath: null, errors: [], messages: [] },
  }
  const menu = {
    buildFromTemplate: (template: unknown[]) => ({ template }),
    setApplicationMenu: (m: { template: unknown[] }) => {
      f.appMenu = m
    },
  }
  const dialog = {
    showOpenDialog: async () => ({ canceled: f.dialog.openPaths.length === 0, filePaths: f.dialog.openPaths }),
    showSaveDialog: async () => ({ canceled: !f.dialog.savePath, filePath: f.dialog.savePath ?? '' }),
    showMessageBox: async (o: unknown) => {
      f.dialog.messages.push(o)
      return { response: 0, checkboxChecked: false }
    },
    showErrorBox: (title: string, content: string) => {
      f.dialog.errors.push({ title, content })
    },
  }
  const image = { resize() {
    return image
  } }
  f.electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    session: { defaultSession: session },
    shell: {
      openExternal: async (url: string) => {
        f.opened.push(url)
      },
    },
    Menu: menu,
    Tray: FakeTray,
    Notification: FakeNotification,
    dialog,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    nativeImage: { createFromBuffer: () => image },
  } as unknown as ElectronMain
  return f
}

/** Let queued promise callbacks and microtasks run. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setImmediate(r))
}
