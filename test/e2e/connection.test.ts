import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { open, screenshot, startStack, TOKEN, type Stack } from './support'

// Access and links as the admin sees them: the token prompt when no token came with the link,
// the NATS banner while the broker is down (pushed over the event stream), and the core banner
// when the console itself stops answering.

let stack: Stack
let browser: BrowserSession

beforeAll(async () => {
  stack = await startStack()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop().catch(() => {})
})

it('asks for the token when the link has none, refuses a wrong one, accepts the right one', async () => {
  const { page } = browser
  await open(page, stack.url, '/agents', false)
  const token = page.locator('#login-token')
  await token.waitFor()
  await token.fill('not-the-token')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('That token was not accepted').waitFor()
  await token.fill(TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await token.waitFor({ state: 'detached' })
  await page.getByTestId('page-agents').waitFor()
  await expect.poll(() => page.getByTestId('connection-pill').getAttribute('data-state')).toBe('connected')
})

it('shows a NATS banner while the broker is down and clears it when it is back', async () => {
  const { page } = browser
  await stack.nats.server.stop()
  await page.getByTestId('banner-nats').waitFor({ timeout: 20_000 })
  await screenshot(browser, 'banner-nats-down')
  await stack.nats.restart()
  await page.getByTestId('banner-nats').waitFor({ state: 'detached', timeout: 30_000 })
  expect(await page.getByTestId('connection-pill').getAttribute('data-state')).toBe('connected')
})

it('shows a banner when the console core stops answering', async () => {
  const { page } = browser
  await stack.serve.stop()
  await page.getByTestId('banner-core').waitFor({ timeout: 20_000 })
  await screenshot(browser, 'banner-core-down')
})
