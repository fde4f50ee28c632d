import type { ConnectionState, PushEvent } from '../../shared/events'
import type { Logger } from '../core/log'
import type { CoreServices } from '../core/services'
import type { DesktopActions } from './actions'
import { connectionSnapshot } from './connection-snapshot'
import type { ElectronMain } from './deps'
import { FleetMonitor } from './fleet-monitor'
import { readFleetStatus } from './fleet-status'
import { appIconPng } from './icon'
import { NotificationPolicy } from './notifications'
import type { SettingsStore } from './settings'
import { TrayController, type TrayState } from './tray'

// What the desktop shows about the live core outside its window: the tray (link state,
// online/offline counts) and desktop notifications, both fed by the core's push events.

export interface LiveStatusOptions {
  electron: Pick<ElectronMain, 'Tray' | 'Menu' | 'nativeImage' | 'Notification'>
  actions: DesktopActions
  settings: SettingsStore
  log: Logger
  /** A notification was clicked. */
  onNotificationClick(): void
}

export class LiveStatus {
  private readonly tray: TrayController | null = null
  private readonly policy: NotificationPolicy
  private monitor: FleetMonitor | null = null
  private unsubscribe: (() => void) | null = null

  constructor(private readonly o: LiveStatusOptions) {
    this.policy = new NotificationPolicy({ settings: () => o.settings.get().notifications, show: (n) => this.notify(n.title, n.body) })
    try {
      this.tray = new TrayController(o.electron, o.actions, {
        connection: 'stopped',
        server: null,
        online: null,
        offline: null,
        keepRunningInTray: o.settings.get().keepRunningInTray,
      })
    } catch (e) {
      o.log.warn('no tray icon on this desktop; closing the window will quit', e)
    }
  }

  /** False where the desktop has no tray (closing the window then quits). */
  get hasTray(): boolean {
    return this.tray !== null
  }

  updateTray(change: Partial<TrayState>): void {
    this.tray?.update(change)
  }

  /** Follow the live core: link state and fleet counts to the tray, events to notifications. */
  watch(core: CoreServices): void {
    const snap = connectionSnapshot(core)
    this.tray?.update({ connection: snap.state, server: snap.server })
    if (!core.readonly) {
      this.monitor = new FleetMonitor({
        read: () => readFleetStatus(core.db, core.now()),
        onStatus: (s) => this.tray?.update({ online: s.online, offline: s.offline }),
        onError: (e) => this.o.log.warn('reading the fleet status failed', e),
      })
      this.monitor.start()
    }
    this.unsubscribe = core.bus.subscribe((ev: PushEvent) => {
      if (ev.type === 'connection.state') {
        const s = ev.data as ConnectionState
        this.tray?.update({ connection: s.state, server: s.server })
      } else if (ev.type === 'agents.changed') {
        this.monitor?.refreshSoon()
      }
      this.policy.onEvent(ev)
    })
  }

  notify(title: string, body: string): void {
    const { Notification, nativeImage } = this.o.electron
    if (!Notification.isSupported()) return
    const n = new Notification({ title, body, icon: nativeImage.createFromBuffer(appIconPng(128)) })
    n.on('click', () => this.o.onNotificationClick())
    n.show()
  }

  dispose(): void {
    this.monitor?.stop()
    this.policy.dispose()
    this.unsubscribe?.()
    this.tray?.destroy()
  }
}
