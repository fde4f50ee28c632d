import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '../..')
export const CLI = join(ROOT, 'out/main/cli.js')

export interface ServeProcess {
  child: ChildProcess
  url: string
  output: () => string
  /** Send a signal and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Run the built `kanade-console serve` (npm test builds before running the tests). */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<ServeProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx electron-vite build" first (npm test does)`)
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (b) => (out += b))
  child.stderr!.on('data', (b) => (out += b))
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`serve not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs)
    const check = () => {
      const m = /kanade-console ready: (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        res(m[1])
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      rej(new Error(`serve exited with ${code}:\n${out}`))
    })
  })
  child.removeAllListeners('exit')
  return {
    child,
    url,
    output: () => out,
    stop: (signal = 'SIGINT') =>
      new Promise((res) => {
        if (child.exitCode !== null) return res(child.exitCode)
        child.once('exit', (code) => res(code))
        child.kill(signal)
      }),
  }
}
