import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { ONLINE_WINDOW_ENV, parseOnlineWindow } from './online-window'

// Console configuration: command-line flags > environment (KANADE_*) > backend.toml > defaults.
// Every invalid value fails at start with a message that names the setting and where it came from.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'

export interface ConsoleConfig {
  /** null = start an embedded nats-server. */
  natsUrls: string[] | null
  natsToken: string | null
  natsCredsFile: string | null
  natsServerBin: string | null
  bindHost: string
  bindPort: number
  dataDir: string
  dbPath: string
  logLevel: LogLevel
  /** Durable consumer prefix; null = the per-install id kept in the database. */
  consumerPrefix: string | null
  /** Stream/KV replicas for clustered brokers. */
  replicas: number
  auth: AuthConfig
  /** Offline review of a database file: read-only, no NATS. */
  reviewDb: string | null
  configFile: string | null
}

export interface AuthConfig {
  disabled: boolean
  staticToken: string | null
  jwtSecret: string | null
}

export class ConfigError extends Error {}

export type Flags = Record<string, string | boolean | undefined>

const ENV = {
  natsUrl: 'KANADE_NATS_URL',
  natsToken: 'KANADE_NATS_TOKEN',
  natsCreds: 'KANADE_NATS_CREDS',
  natsServerBin: 'KANADE_NATS_SERVER_BIN',
  bind: 'KANADE_BIND_ADDR',
  dbPath: 'KANADE_DB_PATH',
  dataDir: 'KANADE_DATA_DIR',
  config: 'KANADE_BACKEND_CONFIG',
  logLevel: 'KANADE_LOG_LEVEL',
  consumerPrefix: 'KANADE_CONSUMER_PREFIX',
  replicas: 'KANADE_REPLICAS',
  authDisable: 'KANADE_AUTH_DISABLE',
  staticToken: 'KANADE_AUTH_STATIC_TOKEN',
  jwtSecret: 'KANADE_JWT_SECRET',
} as const

/** The OS's per-user application data folder for the console. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'kanade-console')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'kanade-console')
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'kanade-console')
}

/** Parse `--name value` / `--name=value` / `--flag` arguments. */
export function parseFlags(argv: string[]): { flags: Flags; positional: string[] } {
  const flags: Flags = {}
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      positional.push(...argv.slice(i + 1))
      break
    }
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    if (eq > 0) {
      flags[a.slice(2, eq)] = a.slice(eq + 1)
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      flags[a.slice(2)] = argv[++i]
    } else {
      flags[a.slice(2)] = true
    }
  }
  return { flags, positional }
}

interface TomlShape {
  server?: { bind?: unknown }
  nats?: { url?: unknown }
  db?: { sqlite_path?: unknown }
  log?: { level?: unknown }
}

function readToml(path: string): TomlShape {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new ConfigError(`config file ${path} cannot be read: ${(e as Error).message}`)
  }
  if (text.includes('{{') || text.includes('{%')) {
    throw new ConfigError(
      `config file ${path} uses Tera template syntax ({{ … }}), which kanade-console does not render; ` +
        `replace the templated values with plain TOML or use KANADE_* environment variables`,
    )
  }
  try {
    return parseToml(text) as TomlShape
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid TOML: ${(e as Error).message}`)
  }
}

function str(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new ConfigError(`${name} must be a string`)
  return v
}

export function parseBind(value: string, source: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(value.trim())
  const port = m ? Number(m[2]) : NaN
  if (!m || port > 65535) {
    throw new ConfigError(`${source}: bind address "${value}" must look like 127.0.0.1:8080 (host:port, port 0-65535)`)
  }
  return { host: m[1].replace(/^\[|\]$/g, ''), port }
}

export function parseNatsUrls(value: string, source: string): string[] {
  const urls = value.split(',').map((s) => s.trim()).filter(Boolean)
  if (urls.length === 0) throw new ConfigError(`${source}: NATS URL list is empty`)
  for (const u of urls) {
    if (!/^((nats|tls|ws|wss):\/\/)?[^\s/:]+(:\d{1,5})?$/.test(u) && !/^(nats|tls|ws|wss):\/\/[^\s]+$/.test(u)) {
      throw new ConfigError(`${source}: "${u}" is not a NATS URL (expected nats://host:4222)`)
    }
  }
  return urls
}

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug']

/** kanade's KANADE_AUTH_DISABLE counts as set only for 1/true/yes (reference Q7). */
export function isTruthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes'].includes(v.trim().toLowerCase())
}

export function loadConfig(flags: Flags = {}, env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const flag = (name: string): string | undefined => {
    const v = flags[name]
    if (v === true) throw new ConfigError(`--${name} needs a value`)
    return v === undefined ? undefined : String(v)
  }
  const envv = (name: string): string | undefined => {
    const v = env[name]
    return v === undefined || v === '' ? undefined : v
  }

  const configFile = flag('config') ?? envv(ENV.config) ?? null
  if (configFile && !existsSync(configFile)) {
    throw new ConfigError(`config file ${configFile} (from ${flags.config ? '--config' : ENV.config}) does not exist`)
  }
  const toml: TomlShape = configFile ? readToml(configFile) : {}

  const pick = (f: string, e: string, t: unknown, tName: string): [string, string] | undefined => {
    const fv = flag(f)
    if (fv !== undefined) return [fv, `--${f}`]
    const ev = envv(e)
    if (ev !== undefined) return [ev, e]
    const tv = str(t, `${configFile}: ${tName}`)
    if (tv !== undefined) return [tv, `${configFile}: ${tName}`]
    return undefined
  }

  const dataDirRaw = flag('data-dir') ?? envv(ENV.dataDir)
  const dataDir = resolve(dataDirRaw ?? defaultDataDir(env))

  const nats = pick('nats-url', ENV.natsUrl, toml.nats?.url, 'nats.url')
  const bind = pick('bind', ENV.bind, toml.server?.bind, 'server.bind') ?? ['127.0.0.1:8080', 'default']
  const db = pick('db', ENV.dbPath, toml.db?.sqlite_path, 'db.sqlite_path')
  const level = pick('log-level', ENV.logLevel, toml.log?.level, 'log.level') ?? ['info', 'default']
  const lv = level[0].toLowerCase().split(/[,=]/)[0] as LogLevel
  if (!LEVELS.includes(lv)) {
    throw new ConfigError(`${level[1]}: log level "${level[0]}" must be one of ${LEVELS.join(', ')}`)
  }
  const replicasRaw = flag('replicas') ?? envv(ENV.replicas) ?? '1'
  const replicas = Number(replicasRaw)
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new ConfigError(`replicas "${replicasRaw}" must be a whole number from 1 to 5`)
  }
  const prefix = flag('consumer-prefix') ?? envv(ENV.consumerPrefix) ?? null
  if (prefix !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(prefix)) {
    throw new ConfigError(`consumer prefix "${prefix}" may use only letters, digits, _ and - (at most 64)`)
  }
  const { host, port } = parseBind(bind[0], bind[1])
  const reviewDb = flag('review') ?? null
  // Development/tests only (see online-window.ts): checked here so a bad value fails at start.
  try {
    parseOnlineWindow(envv(ONLINE_WINDOW_ENV))
  } catch (e) {
    throw new ConfigError((e as Error).message)
  }

  return {
    natsUrls: nats ? parseNatsUrls(nats[0], nats[1]) : null,
    natsToken: flag('nats-token') ?? envv(ENV.natsToken) ?? null,
    natsCredsFile: flag('nats-creds') ?? envv(ENV.natsCreds) ?? null,
    natsServerBin: flag('nats-server-bin') ?? envv(ENV.natsServerBin) ?? null,
    bindHost: host,
    bindPort: port,
    dataDir,
    dbPath: resolve(reviewDb ?? (db ? db[0] : join(dataDir, 'console.db'))),
    logLevel: lv,
    consumerPrefix: prefix,
    replicas,
    auth: {
      disabled: isTruthy(flags['auth-disable'] === true ? 'true' : envv(ENV.authDisable)),
      staticToken: flag('static-token') ?? envv(ENV.staticToken) ?? null,
      jwtSecret: envv(ENV.jwtSecret) ?? null,
    },
    reviewDb: reviewDb ? resolve(reviewDb) : null,
    configFile,
  }
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.')
}
