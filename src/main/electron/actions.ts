import type { NotificationSettings } from './settings'

// What the menus, the tray and the startup/error screens can ask the shell to do.
export interface DesktopActions {
  openWindow(): void
  quit(): void
  retryStart(): void
  openDatabase(): void
  exportDatabase(): void
  setKeepRunningInTray(on: boolean): void
  setNotification(key: keyof NotificationSettings, on: boolean): void
}
