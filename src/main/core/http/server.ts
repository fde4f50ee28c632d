import Fastify, { type FastifyInstance } from 'fastify'
import { jetstreamStatus } from '../nats/bootstrap'
import type { CoreServices } from '../services'

// HTTP server. (Foundation version: /health and /api/jetstream/status; the contract-driven
// routes are registered by registerContractRoutes once the API lands.)

export interface HttpServerHandle {
  app: FastifyInstance
  url: string
  close(): Promise<void>
}

export async function buildHttpApp(core: CoreServices): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  app.get('/health', async (_req, reply) => reply.type('text/plain').send('ok'))
  app.get('/api/jetstream/status', async (_req, reply) => {
    if (!core.nats) return reply.code(503).send({ error: 'nats_unavailable', message: 'no NATS connection' })
    return jetstreamStatus(core.nats.nc)
  })
  return app
}

export async function startHttpServer(core: CoreServices): Promise<HttpServerHandle> {
  const app = await buildHttpApp(core)
  const address = await app.listen({ host: core.config.bindHost, port: core.config.bindPort })
  return { app, url: address, close: () => app.close() }
}
