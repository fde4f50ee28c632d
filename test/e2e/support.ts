import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startFleet, type Fleet } from '../../src/main/sim/fleet'
import type { BrowserSession } from '../helpers/browser'
import { tempDir } from '../helpers/db'
import { startTestNats, type TestNats } from '../helpers/nats'
import { ROOT, startServe, type ServeProcess } from '../helpers/serve'

// End-to-end stack: a real nats-server, the BUILT `kanade-console serve` on it, and the fleet
// simulator's agents on the same broker. The browser opens the served dashboard.

export const TOKEN = 'e2e-static-token'
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots')

export interface Stack {
  nats: TestNats
  serve: ServeProcess
  fleet: Fleet | null
  url: string
  dataDir: string
  dbPath: string
  /** Call the API with the test token; JSON body in, Response out. */
  api(path: string, init?: { method?: string; body?: unknown; type?: string }): Promise<Response>
  /** Stop the simulator, serve and the broker, and remove the data dir. */
  stop(): Promise<void>
  /** Remove the data dir only (after stopping the parts by hand). */
  removeData(): void
}

export interface StackOptions {
  agents?: number
  groups?: string[]
  heartbeatMs?: number
  seed?: number
  /** KANADE_ONLINE_WINDOW_SECS for serve (development/tests only; default 2 minutes). */
  onlineWindowSecs?: number
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const nats = await startTestNats()
  const data = tempDir('kanade-e2e-')
  const serve = await startServe(['--nats-url', nats.url, '--data-dir', data.dir, '--bind', '127.0.0.1:0'], {
    KANADE_AUTH_STATIC_TOKEN: TOKEN,
    KANADE_LOG_LEVEL: 'warn',
    ...(opts.onlineWindowSecs ? { KANADE_ONLINE_WINDOW_SECS: String(opts.onlineWindowSecs) } : {}),
  })
  let fleet: Fleet | null = null
  if (opts.agents) {
    fleet = await startFleet({
      natsUrl: nats.url,
      agents: opts.agents,
      groups: opts.groups,
      heartbeatMs: opts.heartbeatMs ?? 5_000,
      seed: opts.seed ?? 7,
      failRate: 0,
      slowRate: 0,
      flapRate: 0,
      execTimeMs: [50, 400],
    })
  }
  const url = serve.url
  const stack: Stack = {
    nats,
    serve,
    fleet,
    url,
    dataDir: data.dir,
    dbPath: join(data.dir, 'console.db'),
    api: (path, init = {}) =>
      fetch(`${url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(init.body === undefined ? {} : { 'content-type': init.type ?? 'application/json' }),
        },
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      }),
    stop: async () => {
      await fleet?.stop().catch(() => {})
      await serve.stop()
      await nats.stop()
      data.cleanup()
    },
    removeData: () => data.cleanup(),
  }
  return stack
}

/** Poll until `check` returns a truthy value (for server-side conditions, not for the UI). */
export async function until<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 150))
  }
}

/** Open a dashboard route; the first load hands the token over in `?token=`. */
export async function open(page: Page, url: string, route: string, withToken = true): Promise<void> {
  const failed: string[] = []
  const onResponse = (r: { status(): number; url(): string }) => {
    if (r.status() >= 400 && !r.url().includes('/api/')) failed.push(`${r.status()} ${r.url()}`)
  }
  page.on('response', onResponse)
  try {
    await page.goto(`${url}/${withToken ? `?token=${TOKEN}` : ''}#${route}`)
    await page.locator('.shell').waitFor({ timeout: 15_000 })
  } catch (e) {
    throw new Error(`the dashboard did not start at ${route}: ${(e as Error).message}\nfailed assets: ${failed.join(', ') || 'none'}`)
  } finally {
    page.off('response', onResponse)
  }
}

/** Navigate inside the app (hash change, no reload) and wait for the page's test id. */
export async function go(page: Page, route: string, testId: string): Promise<void> {
  await page.evaluate((r) => (window.location.hash = r), route)
  await page.getByTestId(testId).waitFor()
}

export async function screenshot(session: BrowserSession, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  // Let lazy chunks, fonts and charts settle before the picture (the event stream keeps the
  // network busy forever, so wait for the spinners to go instead of network idle).
  await session.page.waitForFunction(() => !document.querySelector('.spinner, .skeleton'), undefined, { timeout: 10_000 }).catch(() => {})
  await session.page.evaluate(() => document.fonts.ready)
  await session.page.waitForTimeout(250)
  await session.page.screenshot({ path })
  return path
}
