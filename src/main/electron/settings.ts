import { readJsonFile, writeJsonFile } from './json-file'

// Desktop-only preferences (`<data dir>/desktop-settings.json`), changed from the app menu
// and the tray.

export interface NotificationSettings {
  /** An execution completed (with its failure count). */
  executionFinished: boolean
  /** An agent stopped sending heartbeats (online → offline). */
  agentOffline: boolean
  /** A message could not be projected and went to the dead letters. */
  deadLetter: boolean
}

export interface DesktopSettings {
  /** Closing the window keeps the console (projectors, schedules) running in the tray. */
  keepRunningInTray: boolean
  notifications: NotificationSettings
}

export const DEFAULT_SETTINGS: DesktopSettings = {
  keepRunningInTray: true,
  notifications: { executionFinished: true, agentOffline: true, deadLetter: true },
}

const bool = (v: unknown, dflt: boolean) => (typeof v === 'boolean' ? v : dflt)

/** Stored values over defaults; unknown or mistyped fields fall back to the default. */
export function normalizeSettings(raw: unknown): DesktopSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const n = (r.notifications && typeof r.notifications === 'object' ? r.notifications : {}) as Record<string, unknown>
  const d = DEFAULT_SETTINGS
  return {
    keepRunningInTray: bool(r.keepRunningInTray, d.keepRunningInTray),
    notifications: {
      executionFinished: bool(n.executionFinished, d.notifications.executionFinished),
      agentOffline: bool(n.agentOffline, d.notifications.agentOffline),
      deadLetter: bool(n.deadLetter, d.notifications.deadLetter),
    },
  }
}

export class SettingsStore {
  private value: DesktopSettings
  private listeners = new Set<(s: DesktopSettings) => void>()

  constructor(private readonly file: string) {
    this.value = normalizeSettings(readJsonFile(file))
  }

  get(): DesktopSettings {
    return this.value
  }

  update(change: (s: DesktopSettings) => DesktopSettings): DesktopSettings {
    this.value = normalizeSettings(change(structuredClone(this.value)))
    try {
      writeJsonFile(this.file, this.value)
    } catch {
      // keep the in-memory value: the setting still applies to this session
    }
    for (const l of this.listeners) l(this.value)
    return this.value
  }

  onChange(fn: (s: DesktopSettings) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
}
