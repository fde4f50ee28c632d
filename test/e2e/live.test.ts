import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { captureAll, routes } from './pages'
import { go, open, startStack, TOKEN, until, type Stack } from './support'
import { ROOT } from '../helpers/serve'

// The dashboard against the built `serve` and simulated agents, live: roster, an exec on a
// group watched to completion on its progress board, a result's output, a schedule and its
// next fires, a CSV export, the API's message for a bad YAML job, and a PC going offline (serve
// runs with a 15 s online window instead of 2 minutes, so that test does not wait 2 minutes).

const AGENTS = 12
const WINDOW_SECS = 15
const JOB = { id: 'e2e-hello', version: '1.0.0', description: 'e2e greeting', execute: { shell: 'powershell', script: 'Write-Output "hello e2e"', timeout: '30s' } }

let stack: Stack
let browser: BrowserSession
/** A PC outside the canary group, taken off the network by the last test. */
let quiet: string

beforeAll(async () => {
  stack = await startStack({ agents: AGENTS, groups: ['canary', 'wave1'], heartbeatMs: 3_000, onlineWindowSecs: WINDOW_SECS })
  expect((await stack.api('/api/jobs', { body: JOB })).status).toBe(200)
  await until(async () => Number((await stack.api('/api/agents')).headers.get('x-total-count')) === AGENTS, 20_000, 'agents to be known')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const summary = () => stack.fleet!.summary()

describe('live dashboard', () => {
  it('shows every simulated agent in the roster', async () => {
    const { page } = browser
    await open(page, stack.url, '/agents')
    await expect.poll(() => page.getByTestId('agents-summary').textContent()).toContain(`${AGENTS} PCs`)
    const shown = await page.locator('[data-testid="agents-table"] [role="row"][data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))
    expect(shown.sort()).toEqual([...stack.fleet!.pcIds].sort())
    quiet = summary().find((a) => !a.groups.includes('canary'))!.pcId
  })

  it('runs a job on a group and shows the progress board reach completion without a reload', async () => {
    const { page } = browser
    const canary = summary().filter((a) => a.groups.includes('canary')).map((a) => a.pcId)
    expect(canary.length).toBeGreaterThan(0)
    await go(page, '/exec', 'page-exec')
    await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 1))
    await page.getByTestId('exec-job').selectOption(JOB.id)
    await page.getByRole('radio', { name: 'Groups', exact: true }).click()
    await page.getByTestId('exec-groups').locator('input').fill('canary')
    await page.getByTestId('exec-groups').locator('input').press('Enter')
    await page.getByTestId('exec-review').click()
    await expect.poll(() => page.getByTestId('blast-radius').textContent()).toContain(`on ${canary.length} PCs`)
    await page.getByTestId('exec-confirm').click()
    await page.getByTestId('page-execution').waitFor()
    await page.locator('[data-testid="page-execution"][data-status="completed"]').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('board-done').textContent()).toBe(`${canary.length} of ${canary.length} done`)
    expect(await page.getByTestId('stat-success').locator('.stat-value').textContent()).toBe(String(canary.length))
    // Identical outputs are grouped: every canary PC printed the same line.
    const group = page.getByTestId('output-group').first()
    await expect.poll(() => group.textContent()).toContain(`${canary.length} PCs`)
    expect(await group.locator('pre').textContent()).toBe('hello e2e')
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(1)
  })

  it("shows a result's output", async () => {
    const { page } = browser
    await page.locator('[data-testid="board-pcs"] [role="row"][data-key] [role="cell"]').first().click()
    await page.getByTestId('page-result').waitFor()
    const stdout = page.getByTestId('stdout')
    expect(await stdout.locator('.output-line .tx').first().textContent()).toBe('hello e2e')
    expect(await page.getByTestId('exit-code').textContent()).toBe('0')
    await stdout.getByRole('searchbox').fill('e2e')
    await expect.poll(() => stdout.locator('mark').count()).toBe(1)
  })

  it('shows the waves of a rollout with their times, the late wave turning sent without a reload', async () => {
    const { page } = browser
    const body = { rollout: { strategy: 'wave', waves: [{ group: 'canary', delay: '0s' }, { group: 'wave1', delay: '6s' }] } }
    const res = await stack.api(`/api/exec/${JOB.id}`, { body })
    expect(res.status).toBe(200)
    const { exec_id } = (await res.json()) as { exec_id: string }
    await go(page, `/executions/${exec_id}`, 'page-execution')
    await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 3))
    const waves = page.getByTestId('wave')
    await expect.poll(() => waves.count()).toBe(2)
    expect(await waves.nth(0).getAttribute('data-status')).toBe('sent')
    expect(await waves.nth(0).textContent()).toContain('canary')
    expect(await waves.nth(0).getByTestId('wave-time').textContent()).toMatch(/^sent at /)
    expect(await waves.nth(1).textContent()).toContain('wave1')
    expect(await waves.nth(1).getByTestId('wave-time').textContent()).toMatch(/^due /)
    await page.locator('[data-testid="wave"][data-status="sent"]').nth(1).waitFor({ timeout: 15_000 })
    expect(await waves.nth(1).getByTestId('wave-time').textContent()).toMatch(/^sent at /)
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(3)
  })

  it('creates a schedule and shows its next fires from the server', async () => {
    const { page } = browser
    await go(page, '/schedules/new', 'page-schedule-editor')
    await page.locator('#sched-id').fill('e2e-every-minute')
    await page.locator('#sched-job').selectOption(JOB.id)
    await page.locator('#sched-zone').selectOption('Asia/Tokyo')
    // The unsaved draft is previewed by the server as it is typed: the reason when invalid…
    await page.locator('#sched-cron').fill('*/5 * * * *')
    const invalid = page.getByTestId('cron-invalid')
    await invalid.waitFor()
    expect(await invalid.textContent()).toContain('has 5 fields')
    // …and the next fires when valid.
    await page.locator('#sched-cron').fill('0 * * * * *')
    await invalid.waitFor({ state: 'detached' })
    await expect.poll(() => page.locator('[data-testid="fire-preview"][data-source="draft"] [data-testid="fire"]').count()).toBe(8)
    await page.getByTestId('schedule-save').click()
    await page.waitForURL(/#\/schedules\/e2e-every-minute$/)
    // Saved and unchanged: the scheduler's own upcoming fires of this schedule.
    await page.locator('[data-testid="fire-preview"][data-source="scheduled"]').waitFor()
    const fires = page.getByTestId('fire')
    await expect.poll(() => fires.count(), { timeout: 15_000 }).toBeGreaterThan(2)
    const res = await stack.api('/api/schedules/upcoming?schedule_id=e2e-every-minute&limit=20')
    const expected = ((await res.json()) as { schedule_id: string; fire_at: string }[]).map((f) => f.fire_at)
    // Shown in the schedule's zone (Asia/Tokyo), exactly the instants the server computed.
    const fmt = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Tokyo' })
    const shown = await fires.locator('.mono').allTextContents()
    expect(shown.length).toBeGreaterThan(2)
    expect(shown).toEqual(expected.slice(0, shown.length).map((f) => fmt.format(Date.parse(f))))
    expect(Date.parse(expected[1]) - Date.parse(expected[0])).toBe(60_000)
  })

  it('exports the filtered roster as CSV', async () => {
    const { page } = browser
    const version = summary()[0].agentVersion
    const want = summary().filter((a) => a.agentVersion === version).map((a) => a.pcId).sort()
    await go(page, `/agents?version=${encodeURIComponent(version)}`, 'page-agents')
    await expect.poll(() => page.getByTestId('agents-summary').textContent()).toContain(`${want.length} PCs`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/^agents-.*\.csv$/)
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.pc_id).sort()).toEqual(want)
    expect(new Set(rows.map((r) => r.agent_version))).toEqual(new Set([version]))
  })

  it("shows the API's message for a bad YAML job", async () => {
    const { page } = browser
    const bad = 'id: broken\nversion: 1.0.0\nexecute:\n  shell: bash\n  script: echo hi\n  timeout: 30s\n'
    const api = await stack.api('/api/jobs', { body: bad, type: 'application/yaml' })
    expect(api.status).toBe(400)
    const message = ((await api.json()) as { message: string }).message
    await go(page, '/jobs/new', 'page-job-editor')
    await page.locator('.cm-content').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.insertText(bad)
    await page.getByTestId('job-save').click()
    const error = page.getByTestId('job-error')
    await error.waitFor()
    expect(await error.locator('.error-message').textContent()).toBe(message)
    expect(message).toContain('shell')
  })

  it('runs an ad-hoc script on one PC and shows its output when it answers', async () => {
    const { page } = browser
    const pc = summary().find((a) => a.pcId !== quiet)!.pcId
    await go(page, `/run?pc=${encodeURIComponent(pc)}`, 'page-run')
    await page.locator('#run-script').fill('Write-Output "adhoc from e2e"')
    await page.getByTestId('run-submit').click()
    const out = page.getByTestId('run-stdout')
    await out.waitFor({ timeout: 30_000 })
    expect(await out.locator('.output-line .tx').first().textContent()).toBe('adhoc from e2e')
  })

  it('finds a PC from the command palette (Ctrl+K)', async () => {
    const { page } = browser
    const pc = summary()[1].pcId
    await go(page, '/', 'page-dashboard')
    await page.keyboard.press('Control+K')
    await page.getByRole('combobox').fill(pc)
    await page.locator(`#palette-list [role="option"]:has-text("${pc}")`).first().waitFor()
    await page.keyboard.press('Enter')
    await page.getByTestId('page-agent').waitFor()
    expect(await page.locator('h1').textContent()).toContain(pc)
  })

  it('draws the results chart from the server-side histogram, not from thousands of rows', async () => {
    const { page } = browser
    const asked: string[] = []
    const onRequest = (r: { url(): string }) => void (r.url().includes('/api/results') && asked.push(r.url()))
    page.on('request', onRequest)
    try {
      // A fresh load, so the chart's read is not served from the query cache.
      const histogram = page.waitForResponse((r) => r.url().includes('/api/results/histogram?'))
      await open(page, stack.url, '/')
      expect((await histogram).status()).toBe(200)
      await page.getByTestId('dash-chart').waitFor()
      const h = (await (await stack.api('/api/results/histogram?bucket=1h')).json()) as { total: number; buckets: unknown[] }
      expect(h.buckets).toHaveLength(24)
      expect(h.total).toBeGreaterThan(0)
      await page.locator('[data-testid="dash-chart"] .recharts-bar-rectangle').first().waitFor({ timeout: 15_000 })
    } finally {
      page.off('request', onRequest)
    }
    expect(asked.some((u) => u.includes('bucket=1h'))).toBe(true)
    expect(asked.filter((u) => /limit=5000/.test(u))).toEqual([])
  })

  it('shows what the console runs with on the Settings page, never the token', async () => {
    const { page } = browser
    await go(page, '/settings', 'page-settings')
    await page.getByTestId('settings-console').waitFor()
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(await page.getByTestId('settings-version').textContent()).toBe(pkg.version)
    expect(await page.getByTestId('settings-data-dir').textContent()).toBe(stack.dataDir)
    expect(await page.getByTestId('settings-nats-mode').textContent()).toBe('External NATS')
    expect(await page.getByTestId('settings-nats-urls').textContent()).toBe(stack.nats.url)
    expect(await page.getByTestId('settings-auth').textContent()).toBe('Static bearer token')
    expect(await page.locator('body').textContent()).not.toContain(TOKEN)
  })

  it('renders every page in light and dark, and in Japanese (screenshots in test-results/screenshots)', { timeout: 180_000 }, async () => {
    const exec = ((await (await stack.api(`/api/executions?job_id=${JOB.id}`)).json()) as { exec_id: string }[])[0]
    const result = ((await (await stack.api(`/api/results?exec_id=${exec.exec_id}&limit=1`)).json()) as { result_id: string }[])[0]
    const ids = { pc: summary()[0].pcId, resultId: result.result_id, execId: exec.exec_id, jobId: JOB.id, scheduleId: 'e2e-every-minute' }
    const before = browser.errors.filter((e) => e.startsWith('pageerror')).length
    const files = [...(await captureAll(browser, ids, 'light', '')), ...(await captureAll(browser, ids, 'dark', ''))]
    // Japanese, light: the language is a saved choice, so switch it and reload once.
    await browser.page.evaluate(() => localStorage.setItem('kanade.lang', 'ja'))
    await browser.page.reload()
    await browser.page.getByTestId('page-settings').waitFor()
    expect(await browser.page.locator('h1').textContent()).toBe('環境設定')
    files.push(...(await captureAll(browser, ids, 'light', 'ja-')))
    await browser.page.evaluate(() => localStorage.removeItem('kanade.lang'))
    await browser.page.reload()
    await browser.page.getByTestId('page-settings').waitFor()
    expect(files).toHaveLength(routes(ids).length * 3)
    for (const f of files) expect(statSync(f).size).toBeGreaterThan(10_000)
    expect(browser.errors.filter((e) => e.startsWith('pageerror')).slice(before)).toEqual([])
    await browser.page.emulateMedia({ colorScheme: 'light' })
  })

  it('turns an agent offline on the roster when it stops, pushed by the core (online window)', async () => {
    const { page } = browser
    await go(page, `/agents?q=${encodeURIComponent(quiet)}`, 'page-agents')
    const row = page.locator(`[data-testid="agents-table"] [role="row"][data-key="${quiet}"]`)
    await row.locator('[role="img"][aria-label="Online"]').waitFor()
    await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 2))
    stack.fleet!.setOnline(quiet, false)
    // The core's liveness watcher announces the crossing (agents.changed); the page keeps no
    // timer of its own and is not reloaded.
    await row.locator('[role="img"][aria-label="Offline"]').waitFor({ timeout: (WINDOW_SECS + 15) * 1000 })
    expect(await page.getByTestId('agents-summary').textContent()).toContain('1 offline')
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(2)
    const api = await stack.api(`/api/agents/${encodeURIComponent(quiet)}`)
    expect(((await api.json()) as { online: boolean }).online).toBe(false)
  })
})
