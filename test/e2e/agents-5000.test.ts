import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { closeDatabase } from '../../src/main/core/db/open'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { tempDb, tempDir } from '../helpers/db'
import { ROOT, startServe, type ServeProcess } from '../helpers/serve'
import { go, open, TOKEN } from './support'

// The roster with 5,000 agents: it renders only the rows in view (virtualised) and reaches
// the end by scrolling. The first-render time is measured and written to
// test-results/agents-5000.json (a figure for the report, not a pass/fail threshold).

const COUNT = 5_000
let serve: ServeProcess
let browser: BrowserSession
const cleanups: (() => void)[] = []
const pcId = (i: number) => `PC-${String(i).padStart(5, '0')}`

beforeAll(async () => {
  const seeded = tempDb()
  const now = Date.now()
  const insert = seeded.db.prepare(
    'INSERT INTO agents (pc_id, hostname, last_heartbeat, agent_version, os_family, updated_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  seeded.db.transaction(() => {
    for (let i = 1; i <= COUNT; i++) {
      const at = new Date(now - (i % 300) * 1000).toISOString()
      insert.run(pcId(i), `host-${i}`, at, `0.30.${i % 3}`, i % 25 === 0 ? 'linux' : 'windows', at, at)
    }
  })()
  closeDatabase(seeded.db)
  cleanups.push(() => seeded.cleanup())
  const data = tempDir('kanade-5000-')
  cleanups.push(data.cleanup)
  serve = await startServe(['--review', seeded.path, '--data-dir', data.dir, '--bind', '127.0.0.1:0'], { KANADE_AUTH_STATIC_TOKEN: TOKEN, KANADE_LOG_LEVEL: 'warn' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  for (const c of cleanups) c()
})

it(`renders a ${COUNT.toLocaleString('en-US')}-agent roster virtualised, and measures its first render`, async () => {
  const { page } = browser
  // Cold: a fresh page load straight onto the roster (token hand-over, bundle, fetch, render).
  await open(page, serve.url, '/agents')
  await expect.poll(() => page.getByTestId('agents-summary').textContent()).toContain('5,000 PCs')
  await page.locator('[data-testid="agents-table"] [role="row"][data-key]').first().waitFor()
  const cold = await page.evaluate(() => performance.getEntriesByName('agents:first-rows')[0]?.startTime ?? null)
  const breakdown = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name.includes('/api/agents')).map((r) => ({ start: Math.round(r.startTime), end: Math.round(r.responseEnd) }))
    return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), agentsFetch: api }
  })
  expect(cold).not.toBeNull()

  // Only the rows in view (plus overscan) are in the DOM.
  const inDom = await page.locator('[data-testid="agents-table"] [role="row"][data-key]').count()
  expect(inDom).toBeGreaterThan(10)
  expect(inDom).toBeLessThan(100)

  // Scrolling to the end shows the last PC (sorted by id).
  await page.locator('[data-testid="agents-table"] .table-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight))
  await page.locator(`[role="row"][data-key="${pcId(COUNT)}"]`).waitFor()

  // Warm: from the dashboard to the roster inside the running app (no reload).
  await go(page, '/', 'page-dashboard')
  const warm = await page.evaluate(async () => {
    const t0 = performance.now()
    window.location.hash = '/agents'
    await new Promise<void>((resolve) => {
      const tick = () => (document.querySelector('[data-testid="agents-table"] [role="row"][data-key]') ? resolve() : requestAnimationFrame(tick))
      tick()
    })
    return performance.now() - t0
  })

  const figures = { agents: COUNT, coldFirstRowsMs: Math.round(cold!), warmNavigationMs: Math.round(warm), rowsInDom: inDom, breakdown }
  mkdirSync(join(ROOT, 'test-results'), { recursive: true })
  writeFileSync(join(ROOT, 'test-results', 'agents-5000.json'), JSON.stringify(figures, null, 2) + '\n')
  console.log(`agents roster first render: ${JSON.stringify(figures)}`)
})
