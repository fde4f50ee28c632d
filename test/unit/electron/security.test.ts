import { describe, expect, it } from 'vitest'
import { devLocation, fileLocation } from '../../../src/main/electron/app-location'
import type { Session, WebContents, WebFrameMain } from '../../../src/main/electron/deps'
import {
  ACTION_URL,
  contentSecurityPolicy,
  hardenSession,
  hardenWebContents,
  isSafeExternalUrl,
  isTrustedSender,
  secureWebPreferences,
} from '../../../src/main/electron/security'
import { FakeFrame, FakeSession, FakeWebContents, preventable } from './fakes'

const loc = fileLocation('/opt/kanade/out/renderer/index.html')
const APP = 'file:///opt/kanade/out/renderer/index.html'

describe('secure webPreferences', () => {
  it('isolates, sandboxes and keeps Node out of every console window', () => {
    const p = secureWebPreferences('/opt/kanade/out/preload/index.cjs', ['--kanade-mode=live'])
    expect(p).toMatchObject({
      preload: '/opt/kanade/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      additionalArguments: ['--kanade-mode=live'],
    })
  })
})

describe('content security policy', () => {
  it('built app: no inline or eval script, nothing from elsewhere', () => {
    const csp = contentSecurityPolicy(loc)
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("connect-src 'self';")
  })

  it('dev server: its websocket for hot reload, nothing else added', () => {
    const csp = contentSecurityPolicy(devLocation('http://localhost:5173/'))
    expect(csp).toContain("connect-src 'self' ws://localhost:5173")
    expect(csp).not.toContain('unsafe-eval')
  })

  it('is sent on every response, replacing any policy of the response', () => {
    const s = new FakeSession()
    hardenSession(s as unknown as Session, loc)
    let out: { responseHeaders?: Record<string, string[]> } = {}
    s.headersListener!({ url: APP, responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, (r) => {
      out = r as typeof out
    })
    expect(out.responseHeaders!['Content-Security-Policy']).toEqual([contentSecurityPolicy(loc)])
    expect(out.responseHeaders!['content-security-policy']).toBeUndefined()
    expect(out.responseHeaders!['X-Other']).toEqual(['1'])
  })
})

describe('permissions', () => {
  const s = new FakeSession()
  hardenSession(s as unknown as Session, loc)
  const ask = (permission: string, url: string) => {
    let answer: boolean | null = null
    s.permissionRequest!(null, permission, (ok) => (answer = ok), { requestingUrl: url })
    return answer
  }

  it('denies every permission request of the page', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'midi', 'openExternal', 'fullscreen', 'pointerLock', 'clipboard-read']) {
      expect(ask(p, APP), p).toBe(false)
      expect(s.permissionCheck!(null, p, APP), p).toBe(false)
    }
    expect(s.devicePermission!()).toBe(false)
  })

  it('allows writing to the clipboard from the dashboard only', () => {
    expect(ask('clipboard-sanitized-write', APP)).toBe(true)
    expect(ask('clipboard-sanitized-write', 'https://example.com/')).toBe(false)
  })
})

describe('navigation and new windows', () => {
  function harden() {
    const wc = new FakeWebContents()
    const opened: string[] = []
    const actions: string[] = []
    hardenWebContents(wc as unknown as WebContents, { loc, openExternal: (u) => opened.push(u), onAction: (a) => actions.push(a) })
    return { wc, opened, actions }
  }

  it('prevents every navigation, even to the app itself', () => {
    const { wc, opened } = harden()
    expect(wc.navigate(APP)).toBe(true)
    expect(wc.navigate('https://example.com/')).toBe(true)
    expect(wc.navigate('file:///etc/passwd')).toBe(true)
    expect(opened).toEqual(['https://example.com/'])
  })

  it('denies new windows and hands only validated web links to the browser', () => {
    const { wc, opened } = harden()
    for (const url of ['https://kanade.example/docs', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@evil.example/', 'smb://host/share', APP]) {
      expect(wc.windowOpenHandler!({ url })).toEqual({ action: 'deny' })
    }
    expect(opened).toEqual(['https://kanade.example/docs'])
  })

  it('refuses webviews and redirects out of the app', () => {
    const { wc } = harden()
    const attach = preventable()
    wc.emit('will-attach-webview', attach)
    expect(attach.defaultPrevented).toBe(true)
    const redirect = preventable()
    wc.emit('will-redirect', redirect, 'https://elsewhere.example/')
    expect(redirect.defaultPrevented).toBe(true)
  })

  it('turns the built-in screens’ buttons into actions instead of navigating', () => {
    const { wc, opened, actions } = harden()
    expect(wc.navigate(`${ACTION_URL}retry`)).toBe(true)
    expect(actions).toEqual(['retry'])
    expect(opened).toEqual([])
  })
})

describe('external URL validation', () => {
  it.each([
    ['https://example.com/a?b=c#d', true],
    ['http://10.0.0.5:8080/', true],
    ['HTTPS://EXAMPLE.COM', true],
    ['javascript:alert(1)', false],
    ['file:///C:/Windows/system32/calc.exe', false],
    ['ms-settings:', false],
    ['https://user@example.com/', false],
    ['https://exa mple.com/', false],
    ['https://example.com/\n', false],
    ['not a url', false],
    [`https://example.com/${'a'.repeat(3000)}`, false],
  ])('%s → %s', (url, ok) => {
    expect(isSafeExternalUrl(url)).toBe(ok)
  })
})

describe('IPC sender check', () => {
  const trusted = (frame: FakeFrame | null, wc: FakeWebContents) =>
    isTrustedSender(frame as unknown as WebFrameMain | null, wc as unknown as WebContents, loc)

  it('accepts the main frame showing the dashboard (any route)', () => {
    const wc = new FakeWebContents()
    wc.mainFrame.url = `${APP}#/agents/PC-1`
    expect(trusted(wc.mainFrame, wc)).toBe(true)
  })

  it('refuses frames inside the page, other frames, other pages and gone frames', () => {
    const wc = new FakeWebContents()
    wc.mainFrame.url = APP
    expect(trusted(wc.childFrame(APP), wc)).toBe(false)
    expect(trusted(new FakeFrame(APP, 999, 1), wc)).toBe(false)
    expect(trusted(null, wc)).toBe(false)
    wc.mainFrame.url = 'data:text/html,<h1>hi</h1>'
    expect(trusted(wc.mainFrame, wc)).toBe(false)
    wc.mainFrame.url = 'https://evil.example/'
    expect(trusted(wc.mainFrame, wc)).toBe(false)
    wc.mainFrame.url = APP
    wc.destroyed = true
    expect(trusted(wc.mainFrame, wc)).toBe(false)
  })
})

describe('app location', () => {
  it('file: the renderer folder only', () => {
    expect(loc.isAppUrl(APP)).toBe(true)
    expect(loc.isAppUrl('file:///opt/kanade/out/renderer/assets/index-abc.js')).toBe(true)
    expect(loc.isAppUrl('file:///opt/kanade/out/renderer/../../secret.html')).toBe(false)
    expect(loc.isAppUrl('file:///opt/kanade/out/renderer-evil/index.html')).toBe(false)
    expect(loc.isAppUrl('file://remote-host/opt/kanade/out/renderer/index.html')).toBe(false)
    expect(loc.isAppUrl('https://opt/kanade/out/renderer/index.html')).toBe(false)
  })

  it('dev server: its own origin, on this machine only', () => {
    const dev = devLocation('http://localhost:5173')
    expect(dev.isAppUrl('http://localhost:5173/#/results')).toBe(true)
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false)
    expect(dev.isAppUrl('https://localhost:5173/')).toBe(false)
    expect(() => devLocation('http://192.168.1.4:5173')).toThrow(/this machine/)
    expect(() => devLocation('file:///x')).toThrow(/http/)
  })
})
