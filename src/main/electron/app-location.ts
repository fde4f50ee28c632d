import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'

// Where the dashboard is loaded from: the built files (file://) or, in development, the
// electron-vite dev server. IPC and navigation checks ask this object whether a URL is ours.

export interface AppLocation {
  kind: 'file' | 'dev'
  /** The URL the window loads. */
  entryUrl: string
  /** Origin allowed for dev-server websockets (HMR); null for file://. */
  devOrigin: string | null
  /** True when `url` is a page of the dashboard (any route of it). */
  isAppUrl(url: string): boolean
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** The built dashboard: `index.html` and everything under its folder. */
export function fileLocation(indexHtmlPath: string): AppLocation {
  const entryUrl = pathToFileURL(indexHtmlPath).href
  const folder = pathToFileURL(dirname(indexHtmlPath)).href.replace(/\/?$/, '/')
  return {
    kind: 'file',
    entryUrl,
    devOrigin: null,
    isAppUrl(url) {
      const u = parse(url)
      if (!u || u.protocol !== 'file:' || u.host !== '') return false
      // Compare normalised paths so `..` segments cannot climb out of the folder.
      const path = `file://${u.pathname}`
      return path.startsWith(folder) && !decodeURIComponent(u.pathname).includes('\0')
    },
  }
}

/** The electron-vite dev server (ELECTRON_RENDERER_URL): same origin only. */
export function devLocation(devServerUrl: string): AppLocation {
  const base = parse(devServerUrl)
  if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
    throw new Error(`dev server URL "${devServerUrl}" must be http(s)`)
  }
  const isLoopback = ['localhost', '127.0.0.1', '[::1]'].includes(base.hostname)
  if (!isLoopback) throw new Error(`dev server URL "${devServerUrl}" must be on this machine`)
  return {
    kind: 'dev',
    entryUrl: base.href,
    devOrigin: base.origin,
    isAppUrl(url) {
      const u = parse(url)
      return !!u && u.origin === base.origin
    },
  }
}
