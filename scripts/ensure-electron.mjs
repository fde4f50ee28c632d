#!/usr/bin/env node
// Prepares the desktop app (`npm start`, `npm run dev`, `npm run dist`) without touching what
// the tests and `serve` use:
//
// 1. the Electron binary: `npm ci` skips its download (ensure-deps.mjs), so fetch it here with
//    electron's own installer when it is missing;
// 2. better-sqlite3 for Electron's ABI: node_modules/better-sqlite3 stays built for Node; a copy
//    in native/electron/better-sqlite3 gets Electron's build (a prebuilt binary from
//    prebuild-install, else a compile with node-gyp against Electron's headers). The main process
//    loads it through better-sqlite3's `nativeBinding` option.
//
// Flags: --native-only (skip the Electron binary; for packaging, electron-builder fetches its
// own), --platform P --arch A (target of the native build, default this machine).
// Never runs @electron/rebuild or electron-builder install-app-deps: those rebuild
// node_modules in place and break Node's build.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const ROOT = join(here, '..')
export const NATIVE_DIR = join('native', 'electron')
export const SQLITE_COPY = join(NATIVE_DIR, 'better-sqlite3')
export const BINDING = join(SQLITE_COPY, 'build', 'Release', 'better_sqlite3.node')
export const STAMP = join(NATIVE_DIR, 'stamp.json')

/** The executable inside node_modules/electron/dist, as electron's installer names it. */
export function electronPlatformPath(platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'win32':
      return 'electron.exe'
    default:
      return 'electron'
  }
}

/** Whether electron's installer already put the right binary in place (its own test, replicated). */
export function electronInstalled({ version, distVersion, pathTxt, expectedPath, binaryExists }) {
  if (!distVersion || distVersion.trim().replace(/^v/, '') !== version) return false
  if (pathTxt !== expectedPath) return false
  return !!binaryExists
}

/** What the native build must match; any difference means building again. */
export function wantedStamp({ electron, betterSqlite3, platform, arch }) {
  return { electron, betterSqlite3, platform, arch }
}

export function sqliteUpToDate(stamp, want, bindingExists) {
  if (!bindingExists || !stamp || typeof stamp !== 'object') return false
  return Object.entries(want).every(([k, v]) => stamp[k] === v)
}

/** The steps to run, in order. */
export function planSetup({ electronReady, stamp, want, bindingExists, nativeOnly }) {
  const steps = []
  if (!nativeOnly && !electronReady) steps.push('download-electron')
  if (!sqliteUpToDate(stamp, want, bindingExists)) steps.push('build-sqlite')
  return steps
}

export function prebuildArgs({ electron, platform, arch }) {
  return ['--runtime', 'electron', '--target', electron, '--platform', platform, '--arch', arch, '--verbose']
}

export function nodeGypArgs({ electron, arch }) {
  return ['rebuild', '--release', '--runtime=electron', `--target=${electron}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers']
}

/** Files of better-sqlite3 the copy needs: sources and scripts, never a previous build. */
export function copyFilter(packageDir) {
  return (src) => {
    const rel = relative(packageDir, src)
    const first = rel.split(sep)[0]
    return first !== 'build' && first !== 'node_modules' && first !== 'prebuilds'
  }
}

export function parseArgs(argv) {
  const out = { nativeOnly: false, platform: process.platform, arch: process.arch }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--native-only') out.nativeOnly = true
    else if (a === '--platform' && argv[i + 1]) out.platform = argv[++i]
    else if (a === '--arch' && argv[i + 1]) out.arch = argv[++i]
    else throw new Error(`unknown argument "${a}" (expected --native-only, --platform P, --arch A)`)
  }
  return out
}

// ---- effects (run only when executed as a script) ----

const read = (p) => {
  try {
    return readFileSync(p, 'utf8')
  } catch {
    return null
  }
}
const readJson = (p) => {
  try {
    return JSON.parse(readFileSync(p, 'utf8'))
  } catch {
    return null
  }
}

function run(cmd, args, opts) {
  console.log(`ensure-electron: ${[relative(ROOT, cmd) || cmd, ...args].join(' ')}`)
  return spawnSync(cmd, args, { stdio: 'inherit', ...opts }).status === 0
}

function electronFacts(root) {
  const dir = join(root, 'node_modules', 'electron')
  const version = readJson(join(dir, 'package.json'))?.version
  if (!version) throw new Error('node_modules/electron is missing: run "npm ci" (or "node scripts/ensure-deps.mjs") first')
  const expectedPath = electronPlatformPath(process.platform)
  const pathTxt = read(join(dir, 'path.txt'))
  return {
    dir,
    version,
    ready: electronInstalled({
      version,
      distVersion: read(join(dir, 'dist', 'version')),
      pathTxt,
      expectedPath,
      binaryExists: existsSync(join(dir, 'dist', expectedPath)),
    }),
    binary: join(dir, 'dist', expectedPath),
  }
}

function downloadElectron(root, electron) {
  const env = { ...process.env }
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD
  if (!run(process.execPath, [join(electron.dir, 'install.js')], { cwd: root, env })) {
    throw new Error('downloading Electron failed (see above); check the network or ELECTRON_MIRROR')
  }
}

function buildSqlite(root, opts, electronVersion) {
  const req = createRequire(join(root, 'package.json'))
  const pkgDir = dirname(req.resolve('better-sqlite3/package.json'))
  const copy = join(root, SQLITE_COPY)
  rmSync(copy, { recursive: true, force: true })
  mkdirSync(dirname(copy), { recursive: true })
  cpSync(pkgDir, copy, { recursive: true, filter: copyFilter(pkgDir) })
  const target = { electron: electronVersion, platform: opts.platform, arch: opts.arch }
  const fromPkg = createRequire(join(pkgDir, 'package.json'))
  let ok = false
  let method = 'prebuild-install'
  try {
    ok = run(process.execPath, [fromPkg.resolve('prebuild-install/bin.js'), ...prebuildArgs(target)], { cwd: copy })
  } catch {
    ok = false
  }
  if (!ok) {
    if (opts.platform !== process.platform) {
      throw new Error(`no prebuilt better-sqlite3 for Electron ${electronVersion} on ${opts.platform}-${opts.arch}, and compiling for another OS is not possible here`)
    }
    method = 'node-gyp'
    console.log('ensure-electron: no prebuilt binary; compiling better-sqlite3 against Electron headers (needs a C++ toolchain)…')
    let gyp
    try {
      gyp = req.resolve('node-gyp/bin/node-gyp.js')
    } catch {
      gyp = join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
    }
    if (!run(process.execPath, [gyp, ...nodeGypArgs(target)], { cwd: copy })) {
      throw new Error('building better-sqlite3 for Electron failed (see above)')
    }
  }
  if (!existsSync(join(root, BINDING))) throw new Error(`${BINDING} was not produced`)
  return method
}

/** Load the new build inside Electron (run as Node) to prove the ABI matches. */
function verifyInElectron(root, electron) {
  if (!existsSync(electron.binary)) return null
  const lib = join(root, 'node_modules', 'better-sqlite3')
  const script = `const D = require(${JSON.stringify(lib)}); new D(':memory:', { nativeBinding: ${JSON.stringify(join(root, BINDING))} }).close()`
  const r = spawnSync(electron.binary, ['-e', script], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' })
  return r.status === 0 ? true : (r.stderr || r.stdout || `exit ${r.status}`).trim()
}

function main() {
  const opts = parseArgs(process.argv.slice(2))
  const root = ROOT
  const electron = electronFacts(root)
  const betterSqlite3 = readJson(join(root, 'node_modules', 'better-sqlite3', 'package.json'))?.version
  const want = wantedStamp({ electron: electron.version, betterSqlite3, platform: opts.platform, arch: opts.arch })
  const steps = planSetup({
    electronReady: electron.ready,
    stamp: readJson(join(root, STAMP)),
    want,
    bindingExists: existsSync(join(root, BINDING)),
    nativeOnly: opts.nativeOnly,
  })
  if (steps.includes('download-electron')) downloadElectron(root, electron)
  if (steps.includes('build-sqlite')) {
    const method = buildSqlite(root, opts, electron.version)
    const native = opts.platform === process.platform && opts.arch === process.arch
    const verified = native ? verifyInElectron(root, electronFacts(root)) : null
    if (typeof verified === 'string') throw new Error(`the Electron build of better-sqlite3 does not load in Electron:\n${verified}`)
    writeFileSync(join(root, STAMP), JSON.stringify({ ...want, method, verified: verified === true }, null, 2) + '\n')
    console.log(`ensure-electron: better-sqlite3 ${betterSqlite3} ready for Electron ${electron.version} (${method})`)
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main()
  } catch (e) {
    console.error(`ensure-electron: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  }
}
