import type * as E from 'electron'

// The one seam between the desktop shell and Electron: src/main/index.ts passes the real
// modules in, unit tests pass fakes. Every other file under electron/ imports Electron
// for its types only, so the shell can be tested without the Electron binary.

export interface ElectronMain {
  app: typeof E.app
  BrowserWindow: typeof E.BrowserWindow
  ipcMain: typeof E.ipcMain
  session: typeof E.session
  shell: typeof E.shell
  Menu: typeof E.Menu
  Tray: typeof E.Tray
  Notification: typeof E.Notification
  dialog: typeof E.dialog
  screen: typeof E.screen
  nativeImage: typeof E.nativeImage
}

export type BrowserWindow = E.BrowserWindow
export type WebContents = E.WebContents
export type WebFrameMain = E.WebFrameMain
export type Session = E.Session
export type IpcMain = E.IpcMain
export type IpcMainInvokeEvent = E.IpcMainInvokeEvent
export type MenuItemConstructorOptions = E.MenuItemConstructorOptions
export type WebPreferences = E.WebPreferences
export type Rectangle = E.Rectangle
export type NativeImage = E.NativeImage
