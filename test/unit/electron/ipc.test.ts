import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { operations } from '../../../src/shared/api/index'
import { ApiError, notFound } from '../../../src/shared/api/errors'
import { IPC_EVENT_CHANNEL, ipcChannel, op, Paging, type OperationDef } from '../../../src/shared/api/op'
import { handlers } from '../../../src/main/core/handlers/index'
import type { HandlerContext } from '../../../src/main/core/handlers/types'
import { silentLogger } from '../../../src/main/core/log'
import type { IpcMain, WebContents } from '../../../src/main/electron/deps'
import { forwardEvents, invokeOperation, registerOperationHandlers, type IpcReply } from '../../../src/main/electron/ipc'
import { tempDir } from '../../helpers/db'
import { fakeCore, testConfig } from './fake-core'
import { FakeIpcMain, FakeWebContents } from './fakes'

const dir = tempDir('kanade-ipc-')
const live = fakeCore(testConfig(dir.dir))
const review = fakeCore(testConfig(dir.dir, { review: '/data/seat-2.db' }))
afterAll(() => {
  live.cleanup()
  review.cleanup()
  dir.cleanup()
})

const names = Object.keys(operations)

/** A window showing the dashboard, and the resolver the shell would use for it. */
function trustedWindow() {
  const wc = new FakeWebContents()
  wc.mainFrame.url = 'file:///app/out/renderer/index.html'
  return wc
}

function bridge(opts: { ops?: Record<string, OperationDef>; impl?: Record<string, (ctx: HandlerContext, input: never) => Promise<unknown>> } = {}) {
  const ipc = new FakeIpcMain()
  const wc = trustedWindow()
  const calls: { name: string; ctx: HandlerContext; input: unknown }[] = []
  const recording = new Proxy({} as Record<string, (ctx: HandlerContext, input: unknown) => Promise<unknown>>, {
    get: (_t, name: string) => async (ctx: HandlerContext, input: unknown) => {
      calls.push({ name, ctx, input })
      return { handled: name }
    },
  })
  const dispose = registerOperationHandlers(ipc as unknown as IpcMain, {
    // Trusted = the window's own main frame (the frame rules are tested in security.test.ts).
    resolve: (ev) => (ev.sender === (wc as unknown) && ev.senderFrame === (wc.mainFrame as unknown) ? live.core : null),
    log: silentLogger,
    operations: opts.ops,
    handlers: (opts.impl ?? recording) as never,
  })
  return { ipc, wc, calls, dispose }
}

describe('every contract operation over IPC', () => {
  it('has one ipcMain.handle per operation, on its contract channel', () => {
    const { ipc, dispose } = bridge()
    expect(names.length).toBeGreaterThan(0)
    expect([...ipc.handlers.keys()].sort()).toEqual(names.map(ipcChannel).sort())
    dispose()
    expect(ipc.handlers.size).toBe(0)
  })

  it('routes each channel to the handler of the same name, caller `console`', async () => {
    // Schema-free copies of the contract: every call reaches its handler.
    const open = Object.fromEntries(names.map((n) => [n, { method: 'GET', path: `/x/${n}`, summary: n, response: z.unknown() }])) as Record<string, OperationDef>
    const { ipc, wc, calls } = bridge({ ops: open })
    for (const n of names) {
      const reply = (await ipc.invoke(ipcChannel(n), wc, wc.mainFrame, {})) as IpcReply
      expect(reply, n).toEqual({ ok: true, data: { handled: n } })
    }
    expect(calls.map((c) => c.name)).toEqual(names)
    expect(calls.every((c) => c.ctx.caller.actor === 'console' && c.ctx.core === live.core)).toBe(true)
  })

  it('validates real contract inputs before any handler runs (errors name the part)', async () => {
    const { ipc, wc, calls } = bridge()
    for (const n of names) {
      const reply = (await ipc.invoke(ipcChannel(n), wc, wc.mainFrame, { params: { nope: [] }, query: 'x', body: 42 })) as IpcReply
      if (reply.ok) continue
      // Refused before the handler: by the guard (nats), or by validation naming a part.
      expect(['bad_request', 'nats_unavailable', 'read_only'], n).toContain(reply.error.error)
      if (reply.error.error === 'bad_request') expect(reply.error.message, n).toMatch(/params|query|body|takes no/)
      expect(reply.error.status, n).toBe(reply.error.error === 'bad_request' ? 400 : reply.error.error === 'read_only' ? 403 : 503)
    }
    // The garbage above cannot satisfy a schema that declares any part.
    const declaring = names.filter((n) => {
      const d = (operations as Record<string, OperationDef>)[n]
      return d.params || d.query || d.body
    })
    for (const c of calls) expect(declaring, c.name).not.toContain(c.name)
  })

  it('refuses a call from an unexpected frame, for every operation, without running it', async () => {
    const { ipc, wc, calls } = bridge()
    const other = trustedWindow()
    for (const n of names) {
      for (const [sender, frame] of [
        [wc, wc.childFrame(wc.mainFrame.url)],
        [other, other.mainFrame],
        [wc, null],
      ] as const) {
        const reply = (await ipc.invoke(ipcChannel(n), sender, frame, {})) as IpcReply
        expect(reply.ok, n).toBe(false)
        if (!reply.ok) expect(reply.error).toMatchObject({ error: 'forbidden', status: 403 })
      }
    }
    expect(calls).toEqual([])
  })

  it('the core implements every operation', () => {
    const missing = names.filter((n) => typeof (handlers as Record<string, unknown>)[n] !== 'function')
    expect(missing).toEqual([])
  })
})

const sample = {
  getAgent: op({
    method: 'GET',
    path: '/api/agents/:pc_id',
    summary: 'one agent',
    params: z.object({ pc_id: z.string().min(1) }),
    query: z.object({ ...Paging }),
    response: z.object({ pc_id: z.string() }),
  }),
  putThing: op({
    method: 'PUT',
    path: '/api/things/:id',
    summary: 'write',
    params: z.object({ id: z.string() }),
    body: z.object({ name: z.string(), size: z.number().int() }),
    response: z.object({ ok: z.boolean() }),
    mutates: true,
  }),
  natsThing: op({ method: 'GET', path: '/api/nats', summary: 'needs NATS', response: z.object({}), nats: true }),
  plain: op({ method: 'GET', path: '/api/plain', summary: 'no input', response: z.object({}) }),
}

describe('input validation, guards and errors', () => {
  const run = (core: typeof live.core, name: keyof typeof sample, raw: unknown, handler?: (ctx: HandlerContext, i: unknown) => Promise<unknown>) =>
    invokeOperation(core, name, sample[name], handler ?? (async (_c, i) => i), raw, silentLogger)

  it('applies schema defaults and hands the parsed input to the handler', async () => {
    const r = await run(live.core, 'getAgent', { params: { pc_id: 'PC-1' } })
    expect(r).toEqual({ ok: true, data: { params: { pc_id: 'PC-1' }, query: { limit: 50, offset: 0 }, body: undefined } })
  })

  it('names the field that is wrong', async () => {
    const missing = await run(live.core, 'getAgent', {})
    expect(missing).toMatchObject({ ok: false, error: { error: 'bad_request', status: 400 } })
    expect(!missing.ok && missing.error.message).toMatch(/^params\.pc_id: /)
    const badLimit = await run(live.core, 'getAgent', { params: { pc_id: 'a' }, query: { limit: 0 } })
    expect(!badLimit.ok && badLimit.error.message).toMatch(/^query\.limit: /)
    const badBody = await run(live.core, 'putThing', { params: { id: 'x' }, body: { name: 'n', size: 'big' } })
    expect(!badBody.ok && badBody.error.message).toMatch(/^body\.size: /)
    const noBody = await run(live.core, 'putThing', { params: { id: 'x' } })
    expect(!noBody.ok && noBody.error.message).toMatch(/^body: /)
  })

  it('refuses malformed envelopes and parts the operation does not take', async () => {
    for (const raw of ['text', 42, [1], new Date()]) {
      const r = await run(live.core, 'plain', raw)
      expect(r, String(raw)).toMatchObject({ ok: false, error: { error: 'bad_request' } })
    }
    expect(await run(live.core, 'plain', { extra: 1 })).toMatchObject({ ok: false, error: { message: expect.stringContaining('unknown input part "extra"') } })
    expect(await run(live.core, 'plain', { body: { a: 1 } })).toMatchObject({ ok: false, error: { message: 'plain takes no body' } })
    expect(await run(live.core, 'plain', undefined)).toMatchObject({ ok: true })
    expect(await run(live.core, 'plain', { query: {} })).toMatchObject({ ok: true })
  })

  it('review mode refuses changes with a clear message, and still reads', async () => {
    let ran = false
    const r = await run(review.core, 'putThing', { params: { id: 'x' }, body: { name: 'n', size: 1 } }, async () => {
      ran = true
      return { ok: true }
    })
    expect(ran).toBe(false)
    expect(r).toMatchObject({ ok: false, error: { error: 'read_only', status: 403 } })
    expect(!r.ok && r.error.message).toBe('putThing changes data and is not available in offline review: /data/seat-2.db is open read-only')
    expect(await run(review.core, 'getAgent', { params: { pc_id: 'PC-1' } })).toMatchObject({ ok: true })
  })

  it('NATS operations answer 503 without a connection', async () => {
    const r = await run(review.core, 'natsThing', {})
    expect(r).toMatchObject({ ok: false, error: { error: 'nats_unavailable', status: 503 } })
    const down = fakeCore(testConfig(dir.dir))
    ;(down.core.nats as unknown as { status: { state: string } }).status.state = 'reconnecting'
    const r2 = await run(down.core, 'natsThing', {})
    expect(!r2.ok && r2.error.message).toContain('reconnecting')
    down.cleanup()
    expect(await run(live.core, 'natsThing', {})).toMatchObject({ ok: true })
  })

  it('passes ApiErrors through and hides our own failures', async () => {
    const nf = await run(live.core, 'plain', {}, async () => {
      throw notFound('agent PC-9 not found')
    })
    expect(nf).toEqual({ ok: false, error: { error: 'not_found', message: 'agent PC-9 not found', status: 404 } })
    const withDetail = await run(live.core, 'plain', {}, async () => {
      throw new ApiError('conflict', 'version moved', { current: 3 })
    })
    expect(withDetail).toEqual({ ok: false, error: { error: 'conflict', message: 'version moved', status: 409, detail: { current: 3 } } })
    const boom = await run(live.core, 'plain', {}, async () => {
      throw new Error('SQLITE_CORRUPT at /home/secret/path')
    })
    expect(boom).toMatchObject({ ok: false, error: { error: 'internal', status: 500 } })
    expect(JSON.stringify(boom)).not.toContain('secret')
  })

  it('an operation without an implementation answers instead of hanging', async () => {
    const r = await invokeOperation(live.core, 'plain', sample.plain, undefined, {}, silentLogger)
    expect(r).toMatchObject({ ok: false, error: { error: 'internal', message: 'plain is not implemented' } })
  })
})

describe('push events', () => {
  it('reach the window while it shows the dashboard, and stop when unsubscribed', () => {
    const wc = trustedWindow()
    let dashboard = true
    const stop = forwardEvents((fn) => live.core.bus.subscribe(fn), wc as unknown as WebContents, () => dashboard)
    live.core.bus.emit('agents.changed', { pc_ids: ['PC-1'] })
    dashboard = false
    live.core.bus.emit('agents.changed', { pc_ids: ['PC-2'] })
    dashboard = true
    stop()
    live.core.bus.emit('agents.changed', { pc_ids: ['PC-3'] })
    expect(wc.sent).toEqual([{ channel: IPC_EVENT_CHANNEL, args: [{ type: 'agents.changed', data: { pc_ids: ['PC-1'] } }] }])
  })
})
