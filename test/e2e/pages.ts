import { expect } from 'vitest'
import type { BrowserSession } from '../helpers/browser'
import { go, screenshot } from './support'

// Every page of the dashboard, with the test id that shows it rendered.

export interface Ids {
  pc: string
  resultId: string
  execId: string
  jobId: string
  scheduleId: string
}

export function routes(ids: Ids): { name: string; route: string; testId: string }[] {
  const e = encodeURIComponent
  return [
    { name: 'dashboard', route: '/', testId: 'page-dashboard' },
    { name: 'agents', route: '/agents', testId: 'page-agents' },
    { name: 'agent-detail', route: `/agents/${e(ids.pc)}`, testId: 'page-agent' },
    { name: 'inventory', route: '/inventory', testId: 'page-inventory' },
    { name: 'activity', route: '/activity', testId: 'page-activity' },
    { name: 'result', route: `/activity/${e(ids.resultId)}`, testId: 'page-result' },
    { name: 'executions', route: '/executions', testId: 'page-executions' },
    { name: 'execution-board', route: `/executions/${e(ids.execId)}`, testId: 'page-execution' },
    { name: 'exec', route: `/exec?job=${e(ids.jobId)}&group=canary`, testId: 'page-exec' },
    { name: 'run', route: `/run?pc=${e(ids.pc)}`, testId: 'page-run' },
    { name: 'jobs', route: '/jobs', testId: 'page-jobs' },
    { name: 'job-editor', route: `/jobs/${e(ids.jobId)}`, testId: 'page-job-editor' },
    { name: 'schedules', route: '/schedules', testId: 'page-schedules' },
    { name: 'schedule-editor', route: `/schedules/${e(ids.scheduleId)}`, testId: 'page-schedule-editor' },
    { name: 'audit', route: '/audit', testId: 'page-audit' },
    { name: 'config', route: '/config', testId: 'page-config' },
    { name: 'jetstream', route: '/jetstream', testId: 'page-jetstream' },
    { name: 'projectors', route: '/projectors', testId: 'page-projectors' },
    { name: 'settings', route: '/settings', testId: 'page-settings' },
  ]
}

/** Visit every page in the given scheme and save a screenshot of each; returns the files. */
export async function captureAll(session: BrowserSession, ids: Ids, scheme: 'light' | 'dark', prefix: string): Promise<string[]> {
  await session.page.evaluate(() => localStorage.removeItem('kanade.theme')) // follow the OS
  await session.page.emulateMedia({ colorScheme: scheme })
  // The page hears the OS preference change asynchronously: wait until it has applied it.
  // A busy headless Chromium can drop the media `change` event; a reload re-reads the
  // preference at start, which is the same code path a fresh window takes.
  const applied = (timeout: number) =>
    session.page
      .waitForFunction((s) => document.documentElement.dataset.theme === s, scheme, { timeout })
      .then(() => true, () => false)
  if (!(await applied(5_000))) {
    await session.page.reload()
    expect(await applied(30_000)).toBe(true)
  }
  const files: string[] = []
  for (const r of routes(ids)) {
    await go(session.page, r.route, r.testId).catch(async (e) => {
      // One retry from a fresh load, with the first failure kept in the message if it fails again.
      await session.page.reload()
      await go(session.page, r.route, r.testId).catch((e2) => {
        throw new Error(`page ${r.name} did not render: ${String(e)} / after reload: ${String(e2)}`)
      })
    })
    files.push(await screenshot(session, `${prefix}${scheme}-${r.name}`))
  }
  return files
}
