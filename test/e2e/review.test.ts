import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { tempDir } from '../helpers/db'
import { startServe, type ServeProcess } from '../helpers/serve'
import { go, open, screenshot, startStack, TOKEN, until } from './support'

// Offline review: the database an earlier live run produced, opened with `serve --review`.
// Pages render from it, nothing is live, and a write is refused with a clear read-only message.

const JOB = { id: 'review-job', version: '2.0.0', execute: { shell: 'powershell', script: 'Write-Output "from the saved run"', timeout: '30s' } }
let review: ServeProcess
let browser: BrowserSession
let execId = ''
let pcs: string[] = []
const cleanups: (() => void)[] = []

beforeAll(async () => {
  // The earlier run: live console + 5 simulated agents, one exec to completion, then stop.
  const live = await startStack({ agents: 5, heartbeatMs: 3_000 })
  try {
    expect((await live.api('/api/jobs', { body: JOB })).status).toBe(200)
    await until(async () => Number((await live.api('/api/agents')).headers.get('x-total-count')) === 5, 20_000, 'agents')
    const res = await live.api(`/api/exec/${JOB.id}`, { body: { target: { all: true } } })
    expect(res.status).toBe(200)
    execId = ((await res.json()) as { exec_id: string }).exec_id
    await until(async () => ((await (await live.api(`/api/executions/${execId}`)).json()) as { execution: { status: string } }).execution.status === 'completed', 30_000, 'exec to complete')
    pcs = [...live.fleet!.pcIds]
  } finally {
    await live.fleet?.stop()
    expect(await live.serve.stop('SIGINT')).toBe(0)
    await live.nats.stop()
  }
  const keep = tempDir('kanade-review-')
  cleanups.push(keep.cleanup)
  review = await startServe(['--review', live.dbPath, '--data-dir', keep.dir, '--bind', '127.0.0.1:0'], { KANADE_AUTH_STATIC_TOKEN: TOKEN, KANADE_LOG_LEVEL: 'warn' })
  // The live data dir (holding the database) goes once the review server is done with it.
  cleanups.push(() => live.removeData())
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  if (review) expect(await review.stop('SIGINT')).toBe(0)
  for (const c of cleanups) c()
})

it('renders the saved run: banner, roster, execution board and output', async () => {
  const { page } = browser
  await open(page, review.url, '/')
  await page.getByTestId('banner-review').waitFor()
  expect(await page.getByTestId('connection-pill').getAttribute('data-state')).toBe('offline_review')
  await go(page, '/agents', 'page-agents')
  await expect.poll(() => page.getByTestId('agents-summary').textContent()).toContain('5 PCs')
  const shown = await page.locator('[data-testid="agents-table"] [role="row"][data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))
  expect(shown.sort()).toEqual([...pcs].sort())
  await go(page, `/executions/${execId}`, 'page-execution')
  expect(await page.getByTestId('page-execution').getAttribute('data-status')).toBe('completed')
  expect(await page.getByTestId('board-done').textContent()).toBe('5 of 5 done')
  await page.locator('[data-testid="board-pcs"] [role="row"][data-key] [role="cell"]').first().click()
  await page.getByTestId('page-result').waitFor()
  expect(await page.getByTestId('stdout').locator('.output-line .tx').first().textContent()).toBe('from the saved run')
  await screenshot(browser, 'review-execution-result')
})

it('refuses a write with a clear read-only message', async () => {
  const { page } = browser
  await go(page, '/jobs/new', 'page-job-editor')
  await page.getByTestId('job-save').click()
  const error = page.getByTestId('job-error')
  await error.waitFor()
  expect(await error.textContent()).toContain('offline review of a saved database: changes are not possible here')
  expect(await error.locator('strong').textContent()).toBe('read-only')
  expect(await error.textContent()).toContain('read_only')
  await screenshot(browser, 'review-write-refused')
})
