// Agents going offline are pushed: the liveness subsystem inside the real composition root
// (startConsole on a real nats-server, heartbeat projector, HTTP + SSE), with the online window
// shortened to 2 s through KANADE_ONLINE_WINDOW_SECS (development/tests only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/main/core/config'
import { startConsole, type RunningConsole } from '../../../src/main/core/console'
import { LIVENESS, livenessSubsystem, type LivenessWatcher } from '../../../src/main/core/liveness'
import { silentLogger } from '../../../src/main/core/log'
import { ONLINE_WINDOW_ENV } from '../../../src/main/core/online-window'
import { projectorsSubsystem } from '../../../src/main/core/projectors'
import type { PushEvent } from '../../../src/shared/events'
import { tempDir } from '../../helpers/db'
import { FakeAgent } from '../../helpers/fake-agent'
import { startTestNats, type TestNats } from '../../helpers/nats'
import { waitFor } from '../projectors/support'

let nats: TestNats
let dir: { dir: string; cleanup(): void }
let app: RunningConsole
const agents: FakeAgent[] = []
let sse: { text: () => string; stop: () => void }

beforeAll(async () => {
  process.env[ONLINE_WINDOW_ENV] = '2'
  nats = await startTestNats()
  dir = tempDir()
  const config = loadConfig({ 'nats-url': nats.url, 'data-dir': dir.dir, bind: '127.0.0.1:0' }, { KANADE_AUTH_DISABLE: '1' })
  app = await startConsole(config, { subsystems: [projectorsSubsystem, livenessSubsystem], log: silentLogger })
  const ctl = new AbortController()
  const res = await fetch(`${app.url}/api/events?types=agents.changed,agents.offline`, { signal: ctl.signal })
  let text = ''
  const reader = res.body!.getReader()
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
    } catch {
      // aborted
    }
  })()
  sse = { text: () => text, stop: () => ctl.abort() }
})

afterAll(async () => {
  sse?.stop()
  for (const a of agents) await a.stop()
  await app?.stop()
  await nats?.stop()
  dir?.cleanup()
  delete process.env[ONLINE_WINDOW_ENV]
})

describe('liveness subsystem', () => {
  it('pushes agents.offline (and agents.changed) for the agent that stopped, and only for it', async () => {
    const events: PushEvent[] = []
    app.core.bus.subscribe((e) => events.push(e))
    const offline = () => events.filter((e) => e.type === 'agents.offline').map((e) => (e.data as { pc_ids: string[] }).pc_ids)
    const watcher = app.core.subsystems.get(LIVENESS) as LivenessWatcher
    expect(watcher.armedAt).toBeNull() // nobody known yet

    for (const pcId of ['PC-QUIET', 'PC-BUSY']) agents.push(await FakeAgent.start({ url: nats.url, pcId }))
    const [quiet, busy] = agents
    // PC-BUSY beats every 400 ms; PC-QUIET once.
    await quiet.heartbeat()
    await busy.heartbeat()
    const beat = setInterval(() => void busy.heartbeat(), 400)
    try {
      // The projector announces the new agents; that arms the watcher.
      await waitFor(() => watcher.armedAt !== null, 'the watcher to arm for the new agents')
      await waitFor(() => offline().length > 0, 'agents.offline', 8_000)
      expect(offline()).toEqual([['PC-QUIET']])
      const api = async (pc: string) => ((await (await fetch(`${app.url}/api/agents/${pc}`)).json()) as { online: boolean }).online
      // At the moment of the event the roster agrees.
      expect(await api('PC-QUIET')).toBe(false)
      expect(await api('PC-BUSY')).toBe(true)
      expect(events.some((e) => e.type === 'agents.changed' && (e.data as { pc_ids: string[] }).pc_ids.join() === 'PC-QUIET')).toBe(true)
      await waitFor(() => sse.text().includes('event: agents.offline'), 'the SSE frame')
      expect(sse.text()).toContain('"pc_ids":["PC-QUIET"]')
      // Two more windows of PC-BUSY beating: it is never announced.
      await new Promise((r) => setTimeout(r, 4_000))
      expect(offline()).toEqual([['PC-QUIET']])
    } finally {
      clearInterval(beat)
    }
    // Now PC-BUSY stops too.
    await waitFor(() => offline().length === 2, 'the second agents.offline', 8_000)
    expect(offline()).toEqual([['PC-QUIET'], ['PC-BUSY']])
    expect(watcher.armedAt).toBeNull()
  })
})
