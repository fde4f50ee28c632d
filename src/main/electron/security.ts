import type { AppLocation } from './app-location'
import type { Session, WebContents, WebFrameMain, WebPreferences } from './deps'

// Window and session hardening (Electron's security checklist): isolated, sandboxed
// renderers without Node, a strict CSP on every response, no navigation, no new windows,
// no permissions, and IPC accepted only from the dashboard's own main frame.

/** The only webPreferences a console window is created with. */
export function secureWebPreferences(preload: string, additionalArguments: string[]): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    additionalArguments,
  }
}

/** The Content-Security-Policy sent with every response the window receives. */
export function contentSecurityPolicy(loc: AppLocation): string {
  const dev = loc.devOrigin
  const wsOrigin = dev ? dev.replace(/^http/, 'ws') : null
  const directives: [string, string][] = [
    ['default-src', "'none'"],
    // Vite's dev server injects an inline React-refresh preamble; the built app has no inline script.
    ['script-src', dev ? "'self' 'unsafe-inline'" : "'self'"],
    // CodeMirror and the chart library set inline styles.
    ['style-src', "'self' 'unsafe-inline'"],
    ['img-src', "'self' data: blob:"],
    ['font-src', "'self' data:"],
    ['connect-src', wsOrigin ? `'self' ${wsOrigin}` : "'self'"],
    ['worker-src', "'self' blob:"],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
    ['frame-src', "'none'"],
  ]
  return directives.map(([k, v]) => `${k} ${v}`).join('; ')
}

/** Only plain web links leave the app, and only to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false
  if (u.username || u.password) return false
  if (!u.hostname) return false
  // Control characters and whitespace have no place in a link handed to the OS.
  return !/[\s\u0000-\u001f\u007f]/.test(url)
}

// Permissions the dashboard may use: writing to the clipboard (copy buttons). Everything
// else (camera, notifications from the page, geolocation, …) is refused.
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write'])

export function isPermissionAllowed(permission: string, requestingUrl: string, loc: AppLocation): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && loc.isAppUrl(requestingUrl)
}

/** CSP headers on every response of the session, permissions denied. Call once per session. */
export function hardenSession(session: Session, loc: AppLocation): void {
  const csp = contentSecurityPolicy(loc)
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {}
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
      if (k.toLowerCase() !== 'content-security-policy') headers[k] = v
    }
    headers['Content-Security-Policy'] = [csp]
    headers['X-Content-Type-Options'] = ['nosniff']
    callback({ responseHeaders: headers })
  })
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, loc))
  })
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, loc),
  )
  session.setDevicePermissionHandler(() => false)
}

export interface WebContentsPolicy {
  loc: AppLocation
  /** Opens a validated http(s) link in the system browser. */
  openExternal(url: string): void
  /** Links of the built-in startup/error screens (`${ACTION_URL}retry` …). */
  onAction?(action: string): void
}

// Buttons of the built-in screens link here: a reserved host (RFC 2606) that never resolves,
// an ordinary https URL so Chromium surely reports the navigation to will-navigate.
export const ACTION_URL = 'https://kanade-action.invalid/'

/** Hand an external link to the browser after validation; anything else is dropped. */
function leaveApp(url: string, policy: WebContentsPolicy): void {
  if (url.startsWith(ACTION_URL)) {
    policy.onAction?.(url.slice(ACTION_URL.length))
    return
  }
  if (!policy.loc.isAppUrl(url) && isSafeExternalUrl(url)) policy.openExternal(url)
}

/** No navigation, no new windows, no webviews: links go to the browser after validation. */
export function hardenWebContents(wc: WebContents, policy: WebContentsPolicy): void {
  wc.on('will-navigate', (event, url) => {
    event.preventDefault()
    leaveApp(url, policy)
  })
  wc.on('will-redirect', (event, url) => {
    if (!policy.loc.isAppUrl(url)) event.preventDefault()
  })
  wc.on('will-attach-webview', (event) => event.preventDefault())
  wc.setWindowOpenHandler(({ url }) => {
    leaveApp(url, policy)
    return { action: 'deny' }
  })
}

/**
 * An IPC message is accepted only from the main frame of the window it claims to come from,
 * while that frame shows the dashboard (not an error page, not a frame inside the page).
 */
export function isTrustedSender(
  frame: WebFrameMain | null | undefined,
  windowContents: WebContents,
  loc: AppLocation,
): boolean {
  if (!frame || windowContents.isDestroyed()) return false
  const main = windowContents.mainFrame
  if (!main || frame.parent !== null) return false
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false
  return loc.isAppUrl(frame.url)
}
