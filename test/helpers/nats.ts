import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type NatsConnection } from 'nats'
import { startEmbeddedNats, type EmbeddedNats } from '../../src/main/core/nats/embedded'

/** A real nats-server on a random port with a temp store, for one test file. */
export interface TestNats {
  url: string
  server: EmbeddedNats
  storeDir: string
  /** Open an extra client connection (closed by stop()). */
  client(): Promise<NatsConnection>
  /** Stop and start the server on the same port and store (broker restart). */
  restart(): Promise<void>
  stop(): Promise<void>
}

export async function startTestNats(): Promise<TestNats> {
  const storeDir = mkdtempSync(join(tmpdir(), 'kanade-nats-'))
  let server = await startEmbeddedNats({ storeDir })
  const clients: NatsConnection[] = []
  const t: TestNats = {
    get url() {
      return server.url
    },
    get server() {
      return server
    },
    storeDir,
    async client() {
      const nc = await connect({ servers: server.url })
      clients.push(nc)
      return nc
    },
    async restart() {
      const port = server.port
      await server.stop()
      server = await startEmbeddedNats({ storeDir, port })
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})))
      await server.stop()
      rmSync(storeDir, { recursive: true, force: true })
    },
  }
  return t
}
