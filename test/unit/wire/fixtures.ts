// Loads the shared reference fixtures. They live next to the repository
// (<repo>/../shared/reference/fixtures), so the path is computed from the repo root.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const fixturesDir = resolve(repoRoot, '../shared/reference/fixtures')

export function loadFixture<T>(file: string): T {
  return JSON.parse(readFileSync(resolve(fixturesDir, file), 'utf8')) as T
}

export interface WireVector {
  name: string
  subject: string | null
  encoding: 'json' | 'raw' | 'empty'
  payload: unknown
  notes: string
  decoded?: unknown
}

export const wireVectors = (): WireVector[] => loadFixture<WireVector[]>('wire-messages.json')
