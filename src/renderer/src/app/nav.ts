import type { IconName } from '../components/Icon'

// The pages of the console, in sidebar order: used by the sidebar and the command palette.

export interface NavItem {
  path: string
  /** i18n key under `nav.` */
  key: NavKey
  icon: IconName
  section: 'fleet' | 'operate' | 'catalog' | 'system'
  /** Keyboard shortcut after "g" (g then d = dashboard). */
  hotkey?: string
}

export type NavKey =
  | 'dashboard' | 'agents' | 'inventory' | 'activity' | 'executions' | 'run' | 'exec' | 'jobs' | 'schedules'
  | 'audit' | 'config' | 'jetstream' | 'projectors' | 'settings'

export const NAV: NavItem[] = [
  { path: '/', key: 'dashboard', icon: 'dashboard', section: 'fleet', hotkey: 'd' },
  { path: '/agents', key: 'agents', icon: 'agents', section: 'fleet', hotkey: 'a' },
  { path: '/inventory', key: 'inventory', icon: 'layers', section: 'fleet', hotkey: 'i' },
  { path: '/activity', key: 'activity', icon: 'activity', section: 'fleet', hotkey: 'r' },
  { path: '/executions', key: 'executions', icon: 'executions', section: 'operate', hotkey: 'e' },
  { path: '/exec', key: 'exec', icon: 'exec', section: 'operate', hotkey: 'x' },
  { path: '/run', key: 'run', icon: 'run', section: 'operate', hotkey: 'u' },
  { path: '/jobs', key: 'jobs', icon: 'jobs', section: 'catalog', hotkey: 'j' },
  { path: '/schedules', key: 'schedules', icon: 'schedules', section: 'catalog', hotkey: 's' },
  { path: '/config', key: 'config', icon: 'config', section: 'catalog', hotkey: 'c' },
  { path: '/audit', key: 'audit', icon: 'audit', section: 'system' },
  { path: '/jetstream', key: 'jetstream', icon: 'jetstream', section: 'system' },
  { path: '/projectors', key: 'projectors', icon: 'projectors', section: 'system' },
  { path: '/settings', key: 'settings', icon: 'settings', section: 'system' },
]

export const SECTIONS: NavItem['section'][] = ['fleet', 'operate', 'catalog', 'system']
