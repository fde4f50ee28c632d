import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

// Debian's Chromium driven by playwright-core, with a fresh profile per launch.

export const CHROMIUM = process.env.KANADE_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface BrowserSession {
  context: BrowserContext
  page: Page
  /** Collected console errors and page errors (a test can assert there are none). */
  errors: string[]
  close(): Promise<void>
}

export interface LaunchOptions {
  colorScheme?: 'light' | 'dark'
  locale?: string
  viewport?: { width: number; height: number }
  timezoneId?: string
}

export async function launchBrowser(opts: LaunchOptions = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'kanade-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // The fresh profile folder is passed as the user data dir (playwright adds --user-data-dir).
    args: CHROMIUM_FLAGS,
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.locale ?? 'en-US',
    timezoneId: opts.timezoneId ?? 'UTC',
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    acceptDownloads: true,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close().catch(() => {})
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
