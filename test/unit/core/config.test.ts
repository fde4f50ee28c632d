import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, defaultDataDir, isTruthy, loadConfig, parseFlags } from '../../../src/main/core/config'

function toml(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kc-cfg-'))
  const p = join(dir, 'backend.toml')
  writeFileSync(p, text)
  return p
}

describe('config precedence: flags > env > backend.toml > defaults', () => {
  const file = toml(`
[server]
bind = "127.0.0.1:9090"
[nats]
url = "nats://toml-host:4222"
[db]
sqlite_path = "/tmp/from-toml.db"
[log]
level = "debug"
`)

  it('uses defaults with nothing set', () => {
    const c = loadConfig({}, { HOME: '/home/x' })
    expect(c.natsUrls).toBeNull()
    expect(c.bindHost).toBe('127.0.0.1')
    expect(c.bindPort).toBe(8080)
    expect(c.dbPath).toBe(join(c.dataDir, 'console.db'))
    expect(c.logLevel).toBe('info')
    expect(c.auth.disabled).toBe(false)
    expect(c.replicas).toBe(1)
  })

  it('reads kanade keys from backend.toml', () => {
    const c = loadConfig({}, { KANADE_BACKEND_CONFIG: file })
    expect(c.bindPort).toBe(9090)
    expect(c.natsUrls).toEqual(['nats://toml-host:4222'])
    expect(c.dbPath).toBe('/tmp/from-toml.db')
    expect(c.logLevel).toBe('debug')
  })

  it('environment beats the file, flags beat the environment', () => {
    const env = { KANADE_BACKEND_CONFIG: file, KANADE_BIND_ADDR: '127.0.0.1:7070', KANADE_NATS_URL: 'nats://a:1,nats://b:2' }
    const c = loadConfig({}, env)
    expect(c.bindPort).toBe(7070)
    expect(c.natsUrls).toEqual(['nats://a:1', 'nats://b:2'])
    const f = loadConfig(parseFlags(['--bind', '127.0.0.1:6060', '--nats-url=nats://c:3']).flags, env)
    expect(f.bindPort).toBe(6060)
    expect(f.natsUrls).toEqual(['nats://c:3'])
  })

  it('KANADE_DATA_DIR moves the default database', () => {
    const c = loadConfig({}, { KANADE_DATA_DIR: '/tmp/kc-data' })
    expect(c.dbPath).toBe('/tmp/kc-data/console.db')
  })

  it('auth disable counts only 1/true/yes (Q7)', () => {
    expect(isTruthy('0')).toBe(false)
    expect(isTruthy('')).toBe(false)
    expect(isTruthy('YES')).toBe(true)
    expect(loadConfig({}, { KANADE_AUTH_DISABLE: '0' }).auth.disabled).toBe(false)
    expect(loadConfig({}, { KANADE_AUTH_DISABLE: 'true' }).auth.disabled).toBe(true)
  })

  it('per-OS default data dir', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/kanade-console')
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('kanade-console')
  })
})

describe('config errors name the setting', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ KANADE_BIND_ADDR: 'localhost' }, /KANADE_BIND_ADDR.*host:port/],
    [{ KANADE_BIND_ADDR: '127.0.0.1:99999' }, /KANADE_BIND_ADDR/],
    [{ KANADE_NATS_URL: 'http://x y' }, /KANADE_NATS_URL/],
    [{ KANADE_LOG_LEVEL: 'loud' }, /KANADE_LOG_LEVEL.*log level/],
    [{ KANADE_REPLICAS: 'three' }, /replicas/],
    [{ KANADE_CONSUMER_PREFIX: 'a.b' }, /consumer prefix/],
    [{ KANADE_BACKEND_CONFIG: '/nonexistent/backend.toml' }, /KANADE_BACKEND_CONFIG.*does not exist/],
  ]
  for (const [env, re] of bad) {
    it(`rejects ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig({}, env)).toThrow(ConfigError)
      expect(() => loadConfig({}, env)).toThrow(re)
    })
  }

  it('rejects invalid TOML and Tera templates with the file name', () => {
    expect(() => loadConfig({}, { KANADE_BACKEND_CONFIG: toml('[server\nbind=') })).toThrow(/not valid TOML/)
    expect(() => loadConfig({}, { KANADE_BACKEND_CONFIG: toml('[server]\nbind = "{{ env(name=\\"X\\") }}"') })).toThrow(/Tera/)
  })

  it('rejects a flag without its value', () => {
    expect(() => loadConfig({ bind: true })).toThrow(/--bind needs a value/)
  })
})
