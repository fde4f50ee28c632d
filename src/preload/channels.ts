// IPC channel names as the preload sees them. They mirror `ipcChannel()` and
// `IPC_EVENT_CHANNEL` in src/shared/api/op.ts (a unit test keeps them equal); the preload
// does not import op.ts because that would bundle zod into it.

export const opChannel = (name: string): string => `kanade:op:${name}`
export const EVENT_CHANNEL = 'kanade:event'

/** Command-line switches the main process passes through webPreferences.additionalArguments. */
export const OPS_SWITCH = '--kanade-ops='
export const MODE_SWITCH = '--kanade-mode='

const NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/

/** Operation names and window mode from the renderer process's argv. */
export function readLaunchArguments(argv: readonly string[]): { names: string[]; mode: 'live' | 'review' } {
  const opsArg = argv.find((a) => a.startsWith(OPS_SWITCH))
  const modeArg = argv.find((a) => a.startsWith(MODE_SWITCH))
  const names = (opsArg ? opsArg.slice(OPS_SWITCH.length).split(',') : []).filter(
    (n) => NAME_RE.test(n) && n !== 'constructor' && n !== 'prototype',
  )
  const mode = modeArg?.slice(MODE_SWITCH.length) === 'review' ? 'review' : 'live'
  return { names: [...new Set(names)], mode }
}
