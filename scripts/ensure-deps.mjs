#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when node_modules is missing or older
// than package-lock.json, without downloading the Electron binary (the tests and `serve`
// run on Node; `npm start` fetches Electron itself). Also checks better-sqlite3 is built for
// this Node (a desktop build for Electron's ABI would crash the tests).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const stampFile = join(root, 'node_modules', '.kanade-deps-stamp')
const lock = join(root, 'package-lock.json')
const want = createHash('sha256').update(readFileSync(lock)).digest('hex')
const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : ''
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

function run(args) {
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '1' }
  const r = spawnSync(npm, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' })
  if (r.status !== 0) {
    console.error(`ensure-deps: "npm ${args.join(' ')}" failed (exit ${r.status})`)
    process.exit(r.status ?? 1)
  }
}

if (have !== want) {
  console.log('ensure-deps: installing dependencies (npm ci, Electron binary download skipped)…')
  run(['ci', '--no-audit', '--no-fund'])
  writeFileSync(stampFile, want + '\n')
}

// better-sqlite3 must load in plain Node for tests and `serve`.
const require = createRequire(join(root, 'package.json'))
try {
  const Database = require('better-sqlite3')
  new Database(':memory:').close()
} catch (e) {
  console.log(`ensure-deps: better-sqlite3 does not load in Node ${process.version} (${e.message.split('\n')[0]}); rebuilding it for Node…`)
  run(['rebuild', 'better-sqlite3'])
}
