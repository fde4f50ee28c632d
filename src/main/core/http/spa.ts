import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'

// The built dashboard at `/` (CONVENTIONS.md, kanade's rules): an exact file; else a miss
// under /assets/ is a 404; any other path gets index.html (client-side routes). /api/* and
// /health are registered routes and win.

/** out/renderer next to the built main code (out/main/… or out/main/chunks/…), if built. */
export function defaultWebRoot(): string | null {
  const here = dirname(fileURLToPath(import.meta.url))
  for (const candidate of [join(here, '../renderer'), join(here, '../../renderer')]) {
    if (existsSync(join(candidate, 'index.html'))) return resolve(candidate)
  }
  return null
}

/** Register static hosting; returns whether a dashboard is being served. */
export async function registerSpa(app: FastifyInstance, root: string | null): Promise<boolean> {
  if (!root || !existsSync(join(root, 'index.html'))) return false
  await app.register(fastifyStatic, { root, wildcard: true, index: ['index.html'], serveDotFiles: false })
  return true
}

/** The fallback for a GET that matched no route and no file. */
export function isAssetPath(path: string): boolean {
  return path === '/assets' || path.startsWith('/assets/')
}
