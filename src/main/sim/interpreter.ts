import type { Shell, RunAs } from '../../shared/wire'
import type { MachineFacts, OsFamily } from './identity'
import {
  cimInstance,
  getComputerInfo,
  getService,
  inventoryJson,
  windowsVer,
  type MachineView,
} from './machine-output'
import { namedNumber, positional, splitTopLevel, tokenize, type Token } from './script-parse'

// A deterministic stand-in for powershell.exe / cmd.exe: scripts are never executed on the
// host. It knows the handful of commands fleet jobs use (hostname, echo / Write-Output,
// Get-ComputerInfo, an inventory JSON, Get-Service, exit N, sleep N…) and answers anything
// else with the shell's own "not recognized" error. Output appears over time (steps), so a
// kill or timeout part-way keeps what was printed before it.

export interface ScriptContext {
  shell: Shell
  hostname: string
  osFamily: OsFamily
  facts: MachineFacts
  runAs: RunAs
  /** Wall clock at spawn (ms). */
  startedAt: number
  /** 0..1, varies per run (free disk space drifts a little). */
  drift: number
  /** Process start-up cost before the first statement runs (ms). */
  startupMs?: number
}

export interface ScriptStep {
  /** Milliseconds after spawn at which this output appears. */
  atMs: number
  stdout?: string
  stderr?: string
}

export interface ScriptOutcome {
  steps: ScriptStep[]
  /** The process exit code when it runs to the end. */
  exitCode: number
  /** Milliseconds from spawn to exit. */
  durationMs: number
}

/** Output printed up to `elapsedMs` after spawn (what a kill or timeout leaves behind). */
export function outputUntil(outcome: ScriptOutcome, elapsedMs: number): { stdout: string; stderr: string } {
  let stdout = ''
  let stderr = ''
  for (const s of outcome.steps) {
    if (s.atMs > elapsedMs) break
    stdout += s.stdout ?? ''
    stderr += s.stderr ?? ''
  }
  return { stdout, stderr }
}

/** Everything the script prints when it runs to the end. */
export function fullOutput(outcome: ScriptOutcome): { stdout: string; stderr: string } {
  return outputUntil(outcome, Number.POSITIVE_INFINITY)
}

class Run {
  clock: number
  steps: ScriptStep[] = []
  failed = false
  exitCode: number | null = null
  readonly eol: string
  readonly view: MachineView

  constructor(readonly ctx: ScriptContext) {
    this.clock = ctx.startupMs ?? 0
    this.eol = ctx.osFamily === 'windows' ? '\r\n' : '\n'
    this.view = { hostname: ctx.hostname, osFamily: ctx.osFamily, facts: ctx.facts, drift: ctx.drift, now: ctx.startedAt }
  }
  out(text: string, costMs = 2): void {
    this.clock += costMs
    this.steps.push({ atMs: this.clock, stdout: text })
  }
  line(text: string, costMs = 2): void {
    this.out(text + this.eol, costMs)
  }
  err(text: string, costMs = 2): void {
    this.clock += costMs
    this.steps.push({ atMs: this.clock, stderr: text })
    this.failed = true
  }
  sleep(seconds: number): void {
    if (Number.isFinite(seconds) && seconds > 0) this.clock += Math.round(seconds * 1000)
  }
  get user(): string {
    return this.ctx.runAs === 'system' ? 'SYSTEM' : this.ctx.facts.logged_on_user.split('\\').pop()!
  }
}

export function interpret(script: string, ctx: ScriptContext): ScriptOutcome {
  const run = new Run(ctx)
  if (ctx.shell === 'cmd') runCmd(script, run)
  else runPowerShell(script, run)
  const exitCode = run.exitCode ?? (run.failed ? 1 : 0)
  return { steps: run.steps, exitCode, durationMs: run.clock + 5 }
}

// ---------------------------------------------------------------------------
// PowerShell

const PS_SILENT = new Set(
  [
    'remove-item', 'new-item', 'set-item', 'set-itemproperty', 'new-itemproperty', 'remove-itemproperty', 'copy-item',
    'move-item', 'rename-item', 'set-content', 'add-content', 'out-file', 'out-null', 'restart-service', 'start-service',
    'stop-service', 'set-service', 'clear-recyclebin', 'clear-dnsclientcache', 'import-module', 'set-executionpolicy',
    'invoke-webrequest', 'start-process', 'set-location', 'cd', 'push-location', 'pop-location', 'register-scheduledtask',
    'unregister-scheduledtask', 'set-mppreference', 'update-mpsignature', 'gpupdate', 'install-module', 'clear-host',
  ],
)
const PS_NOOP_START = /^(\$|\[|#|\{|\}|if\b|elseif\b|else\b|foreach\b|for\b|while\b|do\b|try\b|catch\b|finally\b|function\b|param\b|return\b|switch\b|<#)/i
const PS_SINK = new Set(['out-null', 'out-file', 'set-content', 'add-content'])

function expandPs(t: Token, run: Run): string {
  if (t.quote === 'single') return t.text
  return t.text.replace(/\$\(([^)]*)\)|\$env:(\w+)|\$(\w+)/gi, (_m, sub: string | undefined, env: string | undefined) => {
    if (sub !== undefined) {
      const s = sub.trim().toLowerCase()
      if (s === 'hostname' || s === '$env:computername') return run.ctx.hostname
      if (s === 'get-date') return psDate(run)
      return ''
    }
    if (env !== undefined) {
      switch (env.toLowerCase()) {
        case 'computername':
          return run.ctx.hostname
        case 'username':
          return run.user
        case 'userdomain':
          return run.ctx.runAs === 'system' ? 'CONTOSO' : run.ctx.facts.logged_on_user.split('\\')[0]
        case 'os':
          return 'Windows_NT'
        case 'temp':
        case 'tmp':
          return run.ctx.runAs === 'system' ? 'C:\\WINDOWS\\TEMP' : `C:\\Users\\${run.user}\\AppData\\Local\\Temp`
        default:
          return ''
      }
    }
    return '' // an unset variable expands to nothing
  })
}

function psDate(run: Run): string {
  const d = new Date(run.ctx.startedAt + run.clock)
  const date = d.toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
  const time = d.toLocaleTimeString('en-US', { timeZone: 'UTC' })
  return `${date} ${time}`
}

function notRecognized(name: string, statement: string): string {
  const eol = '\r\n'
  return (
    `${name} : The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. ` +
    `Check the spelling of the name, or if a path was included, verify that the path is correct and try again.${eol}` +
    `At line:1 char:1${eol}+ ${statement}${eol}+ ${'~'.repeat(Math.max(1, name.length))}${eol}` +
    `    + CategoryInfo          : ObjectNotFound: (${name}:String) [], CommandNotFoundException${eol}` +
    `    + FullyQualifiedErrorId : CommandNotFoundException${eol} ${eol}`
  )
}

function psError(message: string, category: string, id: string): string {
  const eol = '\r\n'
  return `${message}${eol}    + CategoryInfo          : ${category}${eol}    + FullyQualifiedErrorId : ${id}${eol} ${eol}`
}

function runPowerShell(script: string, run: Run): void {
  // An inventory script: whatever it queries, it ends in one JSON object on stdout.
  if (/ConvertTo-Json|Get-Inventory/i.test(script)) {
    run.clock += 350 + Math.round(run.ctx.drift * 400) // CIM queries are not instant
    run.out(inventoryJson(run.view, /-Compress/i.test(script) || /Get-Inventory/i.test(script), run.eol) + run.eol, 5)
    const exit = /(?:^|[;\n]\s*)exit\s+(-?\d+)\s*$/i.exec(script.trim())
    if (exit) run.exitCode = Number(exit[1])
    return
  }
  for (const statement of splitTopLevel(script, ['\r\n', '\n', ';'])) {
    if (run.exitCode !== null) return
    if (PS_NOOP_START.test(statement)) continue
    const stages = splitTopLevel(statement, ['|'])
    const sink = stages.slice(1).some((s) => PS_SINK.has(s.split(/\s/)[0].toLowerCase()))
    const before = run.steps.length
    psCommand(stages[0], statement, run)
    if (sink) {
      // Output piped into Out-Null / Out-File never reaches stdout.
      for (const s of run.steps.slice(before)) delete s.stdout
    }
  }
}

function psCommand(command: string, statement: string, run: Run): void {
  const tokens = tokenize(command)
  if (tokens.length === 0) return
  const head = tokens[0]
  if (head.quote !== 'none' || /^-?\d+(\.\d+)?$/.test(head.text)) {
    run.line(expandPs(head, run)) // a bare value is written to the output
    return
  }
  const name = head.text.replace(/^&\s*/, '')
  const args = tokens.slice(1)
  switch (name.toLowerCase()) {
    case 'hostname':
      return run.line(run.ctx.hostname, 15)
    case 'echo':
    case 'write-output':
    case 'write':
      for (const a of positional(args)) run.line(expandPs(a, run))
      return
    case 'write-host':
      return run.line(positional(args, ['foregroundcolor', 'backgroundcolor', 'separator']).map((a) => expandPs(a, run)).join(' '))
    case 'write-warning':
      return run.line(`WARNING: ${positional(args).map((a) => expandPs(a, run)).join(' ')}`)
    case 'write-error': {
      const msg = positional(args, ['category', 'errorid']).map((a) => expandPs(a, run)).join(' ')
      return run.err(psError(`${statement} : ${msg}`, 'NotSpecified: (:) [Write-Error], WriteErrorException', 'Microsoft.PowerShell.Commands.WriteErrorException'))
    }
    case 'throw': {
      const msg = positional(args).map((a) => expandPs(a, run)).join(' ') || 'ScriptHalted'
      run.err(psError(`${msg}\r\nAt line:1 char:1\r\n+ ${statement}`, `OperationStopped: (${msg}:String) [], RuntimeException`, msg))
      run.exitCode = 1
      return
    }
    case 'exit': {
      const code = Number(args[0]?.text ?? 0)
      run.exitCode = Number.isInteger(code) ? code | 0 : 0
      return
    }
    case 'start-sleep':
    case 'sleep': {
      const ms = namedNumber(args, ['milliseconds'])
      const secs = namedNumber(args, ['seconds']) ?? Number(positional(args)[0]?.text)
      return run.sleep(ms !== null && args.some((a) => /^-m/i.test(a.text)) ? ms / 1000 : secs)
    }
    case 'get-computerinfo':
      return run.out(getComputerInfo(run.view, run.eol), 1200)
    case 'get-date':
      return run.line(psDate(run), 3)
    case 'whoami':
      return run.line(run.ctx.runAs === 'system' ? 'nt authority\\system' : run.ctx.facts.logged_on_user.toLowerCase(), 20)
    case 'get-service': {
      const svc = positional(args, ['computername'])[0]?.text ?? 'kanade'
      const table = getService(svc, run.eol)
      if (table) return run.out(table, 60)
      return run.err(
        psError(
          `Get-Service : Cannot find any service with service name '${svc}'.\r\nAt line:1 char:1\r\n+ ${statement}`,
          `ObjectNotFound: (${svc}:String) [Get-Service], ServiceCommandException`,
          'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand',
        ),
        60,
      )
    }
    case 'get-ciminstance':
    case 'get-wmiobject': {
      const cls = positional(args, ['namespace', 'filter', 'computername'])[0]?.text ?? ''
      const text = cimInstance(run.view, cls, run.eol)
      return text ? run.out(text, 250) : run.out('', 250)
    }
    default:
      if (PS_SILENT.has(name.toLowerCase())) {
        run.clock += 30
        return
      }
      return run.err(notRecognized(name, statement), 40)
  }
}

// ---------------------------------------------------------------------------
// cmd.exe

const CMD_SILENT = new Set(['del', 'erase', 'copy', 'xcopy', 'robocopy', 'move', 'mkdir', 'md', 'rd', 'rmdir', 'set', 'cd', 'chdir', 'sc', 'net', 'reg', 'gpupdate', 'schtasks', 'setlocal', 'endlocal', 'cls', 'title', 'pushd', 'popd', 'call'])

function expandCmd(text: string, run: Run): string {
  return text.replace(/%(\w+)%/g, (m, name: string) => {
    switch (name.toUpperCase()) {
      case 'COMPUTERNAME':
        return run.ctx.hostname
      case 'USERNAME':
        return run.ctx.runAs === 'system' ? `${run.ctx.hostname}$` : run.user
      case 'OS':
        return 'Windows_NT'
      default:
        return m // cmd leaves unknown variables as written
    }
  })
}

function runCmd(script: string, run: Run): void {
  let lastNotFound = false
  for (const raw of splitTopLevel(script, ['\r\n', '\n', '&&', '||', '&'], false)) {
    if (run.exitCode !== null) return
    let line = raw.replace(/^@/, '')
    const toNul = /\s*(?:\d?>>?)\s*nul\s*$/i.test(line)
    line = line.replace(/\s*(?:\d?>>?)\s*nul\s*$/i, '')
    const before = run.steps.length
    const failedBefore = run.failed
    run.failed = false
    cmdCommand(line, run)
    // cmd /C exits with the errorlevel of the last command: 9009 when it was not found.
    lastNotFound = run.failed
    run.failed ||= failedBefore
    if (toNul) for (const s of run.steps.slice(before)) delete s.stdout
  }
  if (run.exitCode === null) run.exitCode = lastNotFound ? 9009 : 0
}

function cmdCommand(line: string, run: Run): void {
  const m = /^(\S+)\s*(.*)$/s.exec(line.trim())
  if (!m) return
  const name = m[1].toLowerCase()
  const rest = expandCmd(m[2], run)
  if (name === 'rem' || name.startsWith('::')) return
  if (name === 'echo.') return run.line('')
  switch (name) {
    case 'echo':
      if (/^(off|on)$/i.test(rest.trim())) return
      return run.line(rest)
    case 'hostname':
      return run.line(run.ctx.hostname, 15)
    case 'ver':
      run.line('')
      return run.line(windowsVer(run.view))
    case 'whoami':
      return run.line(run.ctx.runAs === 'system' ? 'nt authority\\system' : run.ctx.facts.logged_on_user.toLowerCase(), 20)
    case 'exit': {
      const code = Number(rest.replace(/^\/b\s*/i, '').trim() || 0)
      run.exitCode = Number.isInteger(code) ? code | 0 : 0
      return
    }
    case 'timeout': {
      const secs = Number(/\/t\s+(\d+)/i.exec(rest)?.[1] ?? rest.trim().split(/\s+/)[0])
      run.line(`Waiting for ${secs} seconds, press a key to continue ...`, 1)
      return run.sleep(secs)
    }
    case 'ping': {
      const n = Number(/-n\s+(\d+)/i.exec(rest)?.[1] ?? 4)
      run.line(`Pinging ${rest.split(/\s+/).pop()} with 32 bytes of data:`)
      return run.sleep(Math.max(0, n - 1))
    }
    default:
      if (CMD_SILENT.has(name)) {
        run.clock += 20
        return
      }
      return run.err(`'${m[1]}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`, 20)
  }
}
