import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'

// An embedded nats-server for single-seat installs and for tests: `nats-server -js`
// on loopback, store in a folder of ours, port chosen by the server (-p -1).

export interface EmbeddedNats {
  url: string
  port: number
  storeDir: string
  process: ChildProcess
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  storeDir: string
  bin?: string | null
  host?: string
  /** Fixed port; default: a free one chosen by the server. */
  port?: number
  token?: string | null
  startTimeoutMs?: number
  log?: (line: string) => void
}

export class NatsServerMissingError extends Error {
  constructor(bin: string) {
    super(
      `nats-server was not found (looked for "${bin}"). Install it — Debian/Ubuntu: apt-get install nats-server; ` +
        `macOS: brew install nats-server; Windows: winget install nats-io.nats-server — ` +
        `or set KANADE_NATS_SERVER_BIN to its path, or point the console at an existing broker with KANADE_NATS_URL.`,
    )
  }
}

export function findNatsServer(bin?: string | null): string {
  const candidate = bin || process.env.KANADE_NATS_SERVER_BIN || 'nats-server'
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' })
  if (probe.error) throw new NatsServerMissingError(candidate)
  return candidate
}

const LISTEN_RE = /Listening for client connections on (\S+):(\d+)/

export async function startEmbeddedNats(opts: EmbeddedOptions): Promise<EmbeddedNats> {
  const bin = findNatsServer(opts.bin)
  mkdirSync(opts.storeDir, { recursive: true })
  const host = opts.host ?? '127.0.0.1'
  const args = ['-js', '-a', host, '-p', String(opts.port ?? -1), '-sd', opts.storeDir]
  if (opts.token) args.push('--auth', opts.token)
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`nats-server did not start within ${opts.startTimeoutMs ?? 10_000} ms:\n${output}`))
    }, opts.startTimeoutMs ?? 10_000)
    const onData = (buf: Buffer) => {
      const text = buf.toString()
      output += text
      for (const line of text.split('\n')) if (line.trim()) opts.log?.(line)
      const m = LISTEN_RE.exec(output)
      if (m) {
        clearTimeout(timer)
        resolvePort(Number(m[2]))
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`nats-server exited with code ${code} before it was ready:\n${output}`))
    })
  })
  // Keep draining its output so the pipe never fills up.
  child.stdout!.removeAllListeners('data')
  child.stderr!.removeAllListeners('data')
  child.stdout!.on('data', () => {})
  child.stderr!.on('data', () => {})
  child.removeAllListeners('exit')

  return {
    url: `nats://${host}:${port}`,
    port,
    storeDir: opts.storeDir,
    process: child,
    stop: () => stopChild(child),
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(force)
      done()
    })
    child.kill('SIGTERM')
  })
}
