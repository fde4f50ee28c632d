import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapJetStream, jetstreamStatus } from '../../../src/main/core/nats/bootstrap'
import { startTestNats, type TestNats } from '../../helpers/nats'

let nats: TestNats
beforeAll(async () => {
  nats = await startTestNats()
})
afterAll(async () => nats?.stop())

describe('JetStream bootstrap against a real nats-server', () => {
  it('creates the 0.30 set with its settings, then changes nothing on a second run', async () => {
    const nc = await nats.client()
    const first = await bootstrapJetStream(nc)
    expect(first.created).toHaveLength(13)
    const status = await jetstreamStatus(nc)
    expect(status.streams.map((s) => s.name)).toEqual(['INVENTORY', 'RESULTS', 'EXEC', 'EVENTS', 'AUDIT'])
    expect([...status.streams, ...status.kv_buckets, ...status.object_stores].every((r) => r.exists)).toBe(true)
    expect(status.kv_buckets).toHaveLength(7)

    const jsm = await nc.jetstreamManager()
    const exec = (await jsm.streams.info('EXEC')).config
    expect(exec.subjects).toEqual(['commands.>'])
    expect(exec.max_msgs_per_subject).toBe(1)
    expect(exec.discard).toBe('old')
    expect(exec.max_age).toBe(7 * 24 * 3600 * 1e9)
    expect((await jsm.streams.info('AUDIT')).config.max_age).toBe(0)
    expect((await jsm.streams.info('KV_agents_state')).config.max_msgs_per_subject).toBe(1)
    expect((await jsm.streams.info('KV_jobs')).config.max_msgs_per_subject).toBe(5)

    const second = await bootstrapJetStream(nc)
    expect(second.created).toEqual([])
    expect(second.updated).toEqual([])
    expect(second.unchanged).toHaveLength(13)
    const names: string[] = []
    for await (const s of jsm.streams.list()) names.push(s.config.name)
    expect(names).toHaveLength(13)
  })

  it('reconciles a stream whose limits drifted instead of duplicating it', async () => {
    const nc = await nats.client()
    const jsm = await nc.jetstreamManager()
    const info = await jsm.streams.info('RESULTS')
    await jsm.streams.update('RESULTS', { ...info.config, max_age: 3600 * 1e9 })
    const report = await bootstrapJetStream(nc)
    expect(report.updated).toEqual(['RESULTS'])
    expect((await jsm.streams.info('RESULTS')).config.max_age).toBe(30 * 24 * 3600 * 1e9)
  })
})
