import { describe, expect, it } from 'vitest'
import { agentIdentity } from '../../../src/main/sim/identity'
import { fullOutput, interpret, outputUntil, type ScriptContext } from '../../../src/main/sim/interpreter'

const me = agentIdentity(0, { seed: 7, namePrefix: 'PC-', osMix: { windows: 1 } }, Date.UTC(2026, 4, 20, 12))
const ctx = (p: Partial<ScriptContext> = {}): ScriptContext => ({
  shell: 'powershell',
  hostname: me.hostname,
  osFamily: 'windows',
  facts: me.facts,
  runAs: 'system',
  startedAt: Date.UTC(2026, 4, 20, 12),
  drift: 0.5,
  ...p,
})
const run = (script: string, p: Partial<ScriptContext> = {}) => {
  const o = interpret(script, ctx(p))
  return { ...fullOutput(o), exitCode: o.exitCode, durationMs: o.durationMs, outcome: o }
}

describe('PowerShell', () => {
  it('hostname, echo / Write-Output with quoting and $env expansion', () => {
    expect(run('hostname')).toMatchObject({ stdout: 'PC-0001\r\n', stderr: '', exitCode: 0 })
    expect(run(`echo 'kanade'`).stdout).toBe('kanade\r\n')
    expect(run(`Write-Output "on $env:COMPUTERNAME as $env:USERNAME"`).stdout).toBe('on PC-0001 as SYSTEM\r\n')
    expect(run(`Write-Output 'no $env:COMPUTERNAME here'`).stdout).toBe('no $env:COMPUTERNAME here\r\n')
    expect(run('echo a b').stdout).toBe('a\r\nb\r\n')
    expect(run(`"bare string"; 42`).stdout).toBe('bare string\r\n42\r\n')
  })

  it('exit N stops the script with that code; statements after it never run', () => {
    expect(run(`Write-Output before; exit 3; Write-Output after`)).toMatchObject({ stdout: 'before\r\n', exitCode: 3 })
    expect(run('exit').exitCode).toBe(0)
  })

  it('sleep advances the clock, and a kill part-way keeps only earlier output', () => {
    const r = run("Write-Output 'partial'\nStart-Sleep -Seconds 30\nWrite-Output 'never'", { startupMs: 100 })
    expect(r.durationMs).toBeGreaterThanOrEqual(30_100)
    expect(outputUntil(r.outcome, 5_000).stdout).toBe('partial\r\n')
    expect(r.stdout).toBe('partial\r\nnever\r\n')
    expect(run('sleep 2').durationMs).toBeGreaterThanOrEqual(2_000)
    expect(run('Start-Sleep -Milliseconds 250').durationMs).toBeGreaterThanOrEqual(250)
    expect(run('Start-Sleep -Milliseconds 250').durationMs).toBeLessThan(1_000)
  })

  it('unknown commands write PowerShell\'s error to stderr and exit 1', () => {
    const r = run('Get-Frobnicator -All')
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain("The term 'Get-Frobnicator' is not recognized as the name of a cmdlet")
    expect(r.stderr).toContain('CommandNotFoundException')
  })

  it('Write-Error and throw fail the run; known side-effect cmdlets succeed silently', () => {
    expect(run(`Write-Error 'disk full'`)).toMatchObject({ exitCode: 1, stdout: '' })
    expect(run(`Write-Error 'disk full'`).stderr).toContain('disk full')
    expect(run(`throw 'boom'; Write-Output later`)).toMatchObject({ exitCode: 1, stdout: '' })
    expect(run(`Remove-Item -Path "$env:TEMP\\*" -Recurse -Force -ErrorAction SilentlyContinue`)).toMatchObject({ exitCode: 0, stdout: '', stderr: '' })
    expect(run(`$x = 5; if ($x) { Write-Output 'ignored' }; Write-Output ok`).stdout).toBe('ok\r\n')
    expect(run('Write-Output hidden | Out-Null').stdout).toBe('')
  })

  it('Get-ComputerInfo lists this machine', () => {
    const r = run('Get-ComputerInfo')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/CsName\s+: PC-0001/)
    expect(r.stdout).toContain(me.facts.os_name)
  })

  it('an inventory script prints one JSON object with the facts an inventory manifest displays', () => {
    const script =
      "$cs = Get-CimInstance Win32_ComputerSystem; [ordered]@{hostname=$env:COMPUTERNAME; ram_bytes=[int64]$cs.TotalPhysicalMemory} | ConvertTo-Json -Compress -Depth 4"
    const r = run(script)
    expect(r.exitCode).toBe(0)
    const obj = JSON.parse(r.stdout)
    expect(obj).toMatchObject({ hostname: 'PC-0001', ram_bytes: me.facts.ram_bytes, os_name: me.facts.os_name, cpu_cores: me.facts.cpu_cores })
    expect(obj.disks[0]).toMatchObject({ device_id: 'C:', file_system: 'NTFS' })
    expect(obj.disks[0].free_bytes).toBeLessThanOrEqual(obj.disks[0].size_bytes)
    expect(r.stdout.trim().includes('\n')).toBe(false) // -Compress
    expect(JSON.parse(run('Get-Inventory').stdout).serial_number).toBe(me.facts.serial_number)
    expect(run('@{a=1} | ConvertTo-Json').stdout).toContain('\r\n    "hostname": ')
  })

  it('is deterministic: same script and context, same output', () => {
    const a = run('Get-ComputerInfo; Get-Date; hostname')
    const b = run('Get-ComputerInfo; Get-Date; hostname')
    expect(a).toEqual(b)
  })

  it('Get-Service knows common services and fails on unknown ones', () => {
    expect(run('Get-Service -Name WinDefend').stdout).toContain('Running')
    expect(run('Get-Service CorpVPN')).toMatchObject({ exitCode: 1 })
    expect(run('Get-Service CorpVPN').stderr).toContain("Cannot find any service with service name 'CorpVPN'")
  })

  it('whoami follows run_as', () => {
    expect(run('whoami').stdout).toBe('nt authority\\system\r\n')
    expect(run('whoami', { runAs: 'user' }).stdout).toBe(me.facts.logged_on_user.toLowerCase() + '\r\n')
  })

  it('non-Windows machines print \\n line endings', () => {
    expect(run('hostname', { osFamily: 'linux' }).stdout).toBe('PC-0001\n')
  })
})

describe('cmd.exe', () => {
  const cmd = (script: string) => run(script, { shell: 'cmd' })
  it('echo keeps the text as written, %COMPUTERNAME% expands, & chains commands', () => {
    expect(cmd('echo hello %COMPUTERNAME% & hostname')).toMatchObject({ stdout: 'hello PC-0001\r\nPC-0001\r\n', exitCode: 0 })
    expect(cmd('@echo off\r\necho "quoted"').stdout).toBe('"quoted"\r\n')
  })
  it('exit /b N, timeout sleeps, > nul hides output', () => {
    expect(cmd('echo x & exit /b 4')).toMatchObject({ stdout: 'x\r\n', exitCode: 4 })
    const t = cmd('timeout /t 3 /nobreak > nul')
    expect(t.stdout).toBe('')
    expect(t.durationMs).toBeGreaterThanOrEqual(3_000)
  })
  it('an unknown command exits 9009 with cmd\'s message when it is the last one', () => {
    expect(cmd('frobnicate')).toMatchObject({ exitCode: 9009 })
    expect(cmd('frobnicate').stderr).toContain("'frobnicate' is not recognized as an internal or external command")
    expect(cmd('frobnicate & echo ok').exitCode).toBe(0)
  })
})
