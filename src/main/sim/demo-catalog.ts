import { dispatchExec, type ExecResponse } from '../core/control/exec'
import { upsertManifest } from '../core/control/jobs'
import { upsertSchedule } from '../core/control/schedules'
import type { Caller } from '../core/handlers/types'
import type { CoreServices } from '../core/services'
import type { ManifestInit, ScheduleInit } from '../../shared/wire'

// The demo's sample catalog: a few jobs in the exact 0.30 Manifest shape (one with an
// inventory hint, one slow, one that fails), schedules, and the execs fired at start so
// every page has something real to show. Written through the control plane, like a user.

const CALLER: Caller = { actor: 'console', source: 'demo' }

export const DEMO_JOBS: ManifestInit[] = [
  {
    id: 'hello',
    version: '1.0.0',
    description: 'Say hello: print the host name',
    execute: { shell: 'powershell', script: 'Write-Output "Hello from $env:COMPUTERNAME"\nhostname', timeout: '30s', run_as: 'system' },
  },
  {
    id: 'inventory-hw',
    version: '1.0.0',
    description: 'Hardware inventory (JSON facts shown on the Inventory page)',
    execute: {
      shell: 'powershell',
      script:
        '$os = Get-CimInstance Win32_OperatingSystem\n' +
        '$cs = Get-CimInstance Win32_ComputerSystem\n' +
        "$d = Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=3' | ForEach-Object { [ordered]@{device_id=$_.DeviceID; size_bytes=[int64]$_.Size; free_bytes=[int64]$_.FreeSpace; file_system=$_.FileSystem} }\n" +
        '[ordered]@{hostname=$env:COMPUTERNAME; os_name=$os.Caption; os_build=$os.BuildNumber; manufacturer=$cs.Manufacturer; model=$cs.Model; ram_bytes=[int64]$cs.TotalPhysicalMemory; disks=@($d)} | ConvertTo-Json -Compress -Depth 4',
      timeout: '2m',
      run_as: 'system',
    },
    inventory: {
      display: [
        { field: 'hostname', label: 'Hostname' },
        { field: 'os_name', label: 'OS' },
        { field: 'os_build', label: 'Build' },
        { field: 'manufacturer', label: 'Maker' },
        { field: 'model', label: 'Model' },
        { field: 'cpu_model', label: 'CPU' },
        { field: 'cpu_cores', label: 'Cores', type: 'number' },
        { field: 'ram_bytes', label: 'RAM', type: 'bytes' },
        {
          field: 'disks',
          label: 'Disks',
          type: 'table',
          columns: [
            { field: 'device_id', label: 'Drive' },
            { field: 'size_bytes', label: 'Size', type: 'bytes' },
            { field: 'free_bytes', label: 'Free', type: 'bytes' },
            { field: 'file_system', label: 'FS' },
          ],
        },
        { field: 'ip_address', label: 'IP address' },
        { field: 'logged_on_user', label: 'User' },
        { field: 'last_boot', label: 'Last boot', type: 'timestamp' },
      ],
      summary: [
        { field: 'hostname', label: 'Hostname' },
        { field: 'os_name', label: 'OS' },
        { field: 'ram_bytes', label: 'RAM', type: 'bytes' },
        { field: 'last_boot', label: 'Last boot', type: 'timestamp' },
      ],
    },
  },
  {
    id: 'disk-cleanup',
    version: '1.2.0',
    description: 'Remove temporary files (slow: about a minute)',
    execute: {
      shell: 'powershell',
      script:
        "Write-Output 'Cleaning temporary folders...'\nStart-Sleep -Seconds 45\n" +
        'Remove-Item -Path "$env:TEMP\\*" -Recurse -Force -ErrorAction SilentlyContinue\n' +
        "Write-Output 'Temporary files removed'",
      timeout: '5m',
      run_as: 'system',
    },
  },
  {
    id: 'vpn-client-check',
    version: '0.3.0',
    description: 'Check the CorpVPN client service (not rolled out yet, so it fails)',
    execute: { shell: 'powershell', script: 'Get-Service -Name CorpVPN', timeout: '1m', run_as: 'system' },
  },
  {
    id: 'windows-update-status',
    version: '1.0.0',
    description: 'Windows Update service state',
    execute: { shell: 'cmd', script: 'sc query wuauserv & echo Windows Update checked on %COMPUTERNAME%', timeout: '1m', run_as: 'system' },
  },
]

export const DEMO_SCHEDULES: ScheduleInit[] = [
  { id: 'hello-canary', cron: '0 */5 * * * *', job_id: 'hello', target: { groups: ['canary'], pcs: [], all: false } },
  {
    id: 'inventory-daily',
    cron: '0 0 3 * * *',
    job_id: 'inventory-hw',
    target: { groups: [], pcs: [], all: true },
    mode: 'once_per_pc',
    cooldown: '1d',
  },
  {
    id: 'cleanup-weekly-waves',
    cron: '0 0 22 * * 5',
    job_id: 'disk-cleanup',
    target: { groups: ['canary', 'wave1', 'wave2'], pcs: [], all: false },
    rollout: {
      strategy: 'wave',
      waves: [
        { group: 'canary', delay: '0s' },
        { group: 'wave1', delay: '10m' },
        { group: 'wave2', delay: '30m' },
      ],
    },
    jitter: '5m',
    starting_deadline: '1h',
  },
  { id: 'vpn-check', cron: '0 */15 * * * *', job_id: 'vpn-client-check', target: { groups: ['canary'], pcs: [], all: false } },
]

/** Upsert the sample jobs and schedules (idempotent: the same values every start). */
export async function seedDemoCatalog(core: CoreServices): Promise<void> {
  for (const job of DEMO_JOBS) await upsertManifest(core, CALLER, job)
  for (const s of DEMO_SCHEDULES) await upsertSchedule(core, CALLER, s)
}

/** The execs fired at start: inventory everywhere, hello in waves, the slow and the
 *  failing job on the canaries. */
export async function fireDemoExecs(core: CoreServices): Promise<ExecResponse[]> {
  const exec = (jobId: string, plan: unknown) => dispatchExec(core, { jobId, plan, actor: CALLER.actor, caller: CALLER })
  return [
    await exec('inventory-hw', { target: { all: true } }),
    await exec('hello', {
      target: { groups: ['canary', 'wave1', 'wave2'] },
      rollout: {
        strategy: 'wave',
        waves: [
          { group: 'canary', delay: '0s' },
          { group: 'wave1', delay: '15s' },
          { group: 'wave2', delay: '30s' },
        ],
      },
    }),
    await exec('disk-cleanup', { target: { groups: ['canary'] } }),
    await exec('vpn-client-check', { target: { groups: ['canary'] }, jitter: '5s' }),
  ]
}
