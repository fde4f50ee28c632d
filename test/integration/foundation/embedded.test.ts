import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'nats'
import { describe, expect, it } from 'vitest'
import { NatsServerMissingError, startEmbeddedNats } from '../../../src/main/core/nats/embedded'

describe('embedded nats-server', () => {
  it('starts on a free loopback port with JetStream, and stops', async () => {
    const server = await startEmbeddedNats({ storeDir: mkdtempSync(join(tmpdir(), 'kc-emb-')) })
    expect(server.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/)
    const nc = await connect({ servers: server.url })
    const jsm = await nc.jetstreamManager()
    expect((await jsm.getAccountInfo()).limits).toBeDefined()
    await nc.close()
    await server.stop()
    expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true)
    await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow()
  })

  it('says how to install nats-server when the binary is missing', async () => {
    await expect(startEmbeddedNats({ storeDir: tmpdir(), bin: '/nonexistent/nats-server' })).rejects.toThrow(
      NatsServerMissingError,
    )
    await expect(startEmbeddedNats({ storeDir: tmpdir(), bin: '/nonexistent/nats-server' })).rejects.toThrow(
      /apt-get install nats-server/,
    )
  })
})
