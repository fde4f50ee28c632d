import Fastify, { type FastifyInstance } from 'fastify'
import { operations as allOperations } from '../../../shared/api/index'
import type { OperationDef } from '../../../shared/api/op'
import { handlers as allHandlers } from '../handlers/index'
import type { CoreServices } from '../services'
import { authenticate, resolveAuth, type AuthSettings } from './auth'
import { registerBodyParsers } from './body'
import { sendError } from './errors'
import { buildOpenApi } from './openapi'
import { registerContractRoutes, type AnyHandler } from './routes'
import { defaultWebRoot, isAssetPath, registerSpa } from './spa'
import { EVENTS_PATH, registerEvents } from './sse'

// The HTTP server: kanade-compatible /api generated from the operation contract, bearer
// auth on /api/*, server-sent events, the OpenAPI document, /health and the dashboard.
// No CORS headers at all: the dashboard is same-origin and other origins get nothing.

export interface HttpServerHandle {
  app: FastifyInstance
  url: string
  auth: AuthSettings
  close(): Promise<void>
}

export interface HttpOptions {
  /** The built dashboard; default out/renderer next to the built code; null = none. */
  webRoot?: string | null
  /** JSON / YAML body limit (default 1 MB). */
  bodyLimit?: number
  /** Multipart upload limit (default 64 MB, kanade's). */
  multipartLimit?: number
  /** SSE keep-alive comment interval (default 15 s). */
  keepAliveMs?: number
  /** Check every response against the contract (tests). */
  validateResponses?: boolean
  /** Replace the contract (tests of the generic layer). */
  operations?: Record<string, OperationDef>
  handlers?: Record<string, AnyHandler>
}

const MB = 1024 * 1024
export const API_VERSION = '0.1.0'

function apiPath(url: string): boolean {
  const path = url.split('?')[0]
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // undecodable: judged on the raw text
  }
  return path.startsWith('/api/') || decoded.startsWith('/api/')
}

export async function buildHttpApp(core: CoreServices, opts: HttpOptions = {}): Promise<FastifyInstance> {
  const auth = resolveAuth(core.config)
  const operations = opts.operations ?? (allOperations as Record<string, OperationDef>)
  const handlers = opts.handlers ?? (allHandlers as unknown as Record<string, AnyHandler>)
  const log = core.log.child('http')

  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? MB,
    return503OnClosing: true,
    // Ids in paths (pc ids, job ids, versions) may be longer than find-my-way's default 100.
    routerOptions: { maxParamLength: 1024 },
  })
  app.decorateRequest('caller', null)
  app.decorate('kanadeAuth', auth)

  // Authentication before anything is read: judged on the matched route pattern and on the
  // (decoded) path, so an encoded `/%61pi/…` cannot slip past.
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url
    if (!(route?.startsWith('/api/') || apiPath(req.url))) return
    req.caller = await authenticate(auth, req, route === EVENTS_PATH)
  })
  app.setErrorHandler((err, req, reply) => sendError(log, err, req, reply))

  await registerBodyParsers(app, opts.multipartLimit ?? 64 * MB)

  app.get('/health', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('ok'))
  const openapi = buildOpenApi(operations, API_VERSION)
  app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(openapi))
  registerEvents(app, core, opts.keepAliveMs ?? 15_000)
  registerContractRoutes(app, core, operations, handlers, {
    multipartLimit: opts.multipartLimit ?? 64 * MB,
    validateResponses: !!opts.validateResponses,
  })

  const webRoot = opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot
  const spa = await registerSpa(app, webRoot)
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]
    if (apiPath(req.url) || path === '/api') {
      return reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${path}` })
    }
    if (spa && (req.method === 'GET' || req.method === 'HEAD') && !isAssetPath(path)) {
      // Not returned: the reply streams the file and must not be awaited as a thenable here.
      void reply.header('Cache-Control', 'no-cache').sendFile('index.html')
      return
    }
    return reply.code(404).send({ error: 'not_found', message: `${path} not found` })
  })
  return app
}

export async function startHttpServer(core: CoreServices, opts: HttpOptions = {}): Promise<HttpServerHandle> {
  const app = await buildHttpApp(core, opts)
  const address = await app.listen({ host: core.config.bindHost, port: core.config.bindPort })
  const auth = (app as unknown as { kanadeAuth: AuthSettings }).kanadeAuth
  return { app, url: address, auth, close: () => app.close() }
}
