// Plumbing shared by the benchmarks that run a console with a simulated fleet (fanout, soak):
// the fleet as a child process, an authenticated API client, polling, and writing the result.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

export const MB = 1024 * 1024
export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** This process's script when it is the built CLI (the fleet then runs as `<cli> sim`), else null. */
export function defaultCli(): string | null {
  const script = process.argv[1] ?? ''
  return /cli\.js$/.test(script) ? script : null
}

/** `<cli> sim <args>` in a child process, resolved once it prints `sim ready:`. */
export async function startSimChild(cliPath: string, args: string[], timeoutMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliPath, 'sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((ready, reject) => {
    const timer = setTimeout(() => reject(new Error(`sim did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const onData = (b: Buffer) => {
      output = (output + b.toString()).slice(-20_000)
      if (/^sim ready:/m.test(output)) {
        clearTimeout(timer)
        ready()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`sim exited with code ${code}:\n${output}`))
    })
  })
  // Keep draining its output so it never blocks on a full pipe.
  child.stdout!.resume()
  child.stderr!.resume()
  return child
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(t)
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 250): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

/** A fetch against the console's HTTP API with the bearer token; a non-2xx answer throws. */
export function apiClient(base: string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`)
    return res
  }
}

/** The result as JSON to `out` (default bench/results/<name>.json); `null` writes nothing. */
export function writeResult(name: string, out: string | null | undefined, result: unknown, log: (line: string) => void): void {
  if (out === null) return
  const path = resolve(out ?? join('bench', 'results', `${name}.json`))
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify(result, null, 2) + '\n')
  log(`${name}: wrote ${path}`)
}
