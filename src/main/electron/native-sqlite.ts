import { join } from 'node:path'

// better-sqlite3 inside Electron. The package in node_modules is built for Node (tests and
// `serve` need that build), so the desktop app loads a second build made for Electron's ABI
// by scripts/ensure-electron.mjs (development) or shipped by electron-builder (installers).

/** Where scripts/ensure-electron.mjs puts the Electron build, relative to the project root. */
export const DEV_BINDING = ['native', 'electron', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node']
/** Where electron-builder's extraResources puts it, relative to process.resourcesPath. */
export const PACKAGED_BINDING = ['native', 'better_sqlite3.node']

export interface BindingContext {
  isPackaged: boolean
  /** app.getAppPath(): the project root in development. */
  appPath: string
  /** process.resourcesPath of a packaged app. */
  resourcesPath: string
  exists(path: string): boolean
}

/** The better_sqlite3.node to load, or undefined to use the package's default build. */
export function sqliteBindingPath(ctx: BindingContext): string | undefined {
  const candidate = ctx.isPackaged ? join(ctx.resourcesPath, ...PACKAGED_BINDING) : join(ctx.appPath, ...DEV_BINDING)
  return ctx.exists(candidate) ? candidate : undefined
}
