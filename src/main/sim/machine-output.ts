import type { MachineFacts, OsFamily } from './identity'

// What a simulated machine prints for the commands that report about itself: an inventory
// JSON object, Get-ComputerInfo, Get-Service, CIM classes, ver. Plain functions of the facts.

export interface MachineView {
  hostname: string
  osFamily: OsFamily
  facts: MachineFacts
  /** 0..1, varies per run: free disk space moves a little between runs. */
  drift: number
  /** Wall clock of the run (ms), for "current" values. */
  now: number
}

/** Dynamic disk list: free space shrinks or grows by up to ~1% from run to run. */
function disks(v: MachineView) {
  return v.facts.disks.map((d) => ({
    device_id: d.device_id,
    size_bytes: d.size_bytes,
    free_bytes: Math.max(0, Math.round(d.free_bytes * (1 + (v.drift - 0.5) * 0.02))),
    file_system: d.file_system,
  }))
}

/** The object an inventory script prints: the fields an inventory manifest's `display`
 *  typically names (hostname, OS, hardware, RAM, disks as a table, network, boot time). */
export function inventoryObject(v: MachineView): Record<string, unknown> {
  const f = v.facts
  return {
    hostname: v.hostname,
    os_name: f.os_name,
    os_version: f.os_version,
    os_build: f.os_build,
    manufacturer: f.manufacturer,
    model: f.model,
    serial_number: f.serial_number,
    cpu_model: f.cpu_model,
    cpu_cores: f.cpu_cores,
    ram_bytes: f.ram_bytes,
    disks: disks(v),
    ip_address: f.ip_address,
    mac_address: f.mac_address,
    domain: f.domain,
    logged_on_user: f.logged_on_user,
    last_boot: new Date(f.last_boot).toISOString(),
    uptime_hours: Math.round((v.now - f.last_boot) / 360_000) / 10,
    collected_at: new Date(v.now).toISOString(),
  }
}

/** ConvertTo-Json output: compact with -Compress, else indented (4 spaces, as PowerShell). */
export function inventoryJson(v: MachineView, compress: boolean, eol: string): string {
  const obj = inventoryObject(v)
  return compress ? JSON.stringify(obj) : JSON.stringify(obj, null, 4).replace(/\n/g, eol)
}

function listFormat(rows: [string, string | number][], eol: string): string {
  const width = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, val]) => `${k.padEnd(width)} : ${val}`).join(eol)
}

export function getComputerInfo(v: MachineView, eol: string): string {
  const f = v.facts
  const boot = new Date(f.last_boot)
  return (
    eol +
    listFormat(
      [
        ['WindowsBuildLabEx', `${f.os_build}.1.amd64fre.ni_release.220506-1250`],
        ['WindowsProductName', f.os_name.replace(/^Microsoft /, '')],
        ['WindowsVersion', '2009'],
        ['OsName', f.os_name],
        ['OsVersion', f.os_version],
        ['OsBuildNumber', f.os_build],
        ['OsLastBootUpTime', boot.toLocaleString('en-US', { timeZone: 'UTC' })],
        ['CsName', v.hostname],
        ['CsDomain', f.domain],
        ['CsManufacturer', f.manufacturer],
        ['CsModel', f.model],
        ['CsProcessors', `{${f.cpu_model}}`],
        ['CsNumberOfLogicalProcessors', f.cpu_cores],
        ['CsTotalPhysicalMemory', f.ram_bytes],
        ['CsUserName', f.logged_on_user],
        ['BiosSeralNumber', f.serial_number],
        ['TimeZone', '(UTC) Coordinated Universal Time'],
      ],
      eol,
    ) +
    eol +
    eol
  )
}

/** Win32_OperatingSystem / Win32_ComputerSystem / Win32_LogicalDisk, as the default list view. */
export function cimInstance(v: MachineView, className: string, eol: string): string | null {
  const f = v.facts
  switch (className.toLowerCase()) {
    case 'win32_operatingsystem':
      return eol + listFormat([
        ['SystemDirectory', 'C:\\WINDOWS\\system32'],
        ['Organization', 'Contoso'],
        ['BuildNumber', f.os_build],
        ['RegisteredUser', 'IT'],
        ['SerialNumber', `00330-80000-00000-AA${f.serial_number.slice(-3)}`],
        ['Version', f.os_version],
      ], eol) + eol + eol
    case 'win32_computersystem':
      return eol + listFormat([
        ['Domain', f.domain],
        ['Manufacturer', f.manufacturer],
        ['Model', f.model],
        ['Name', v.hostname],
        ['PrimaryOwnerName', 'IT'],
        ['TotalPhysicalMemory', f.ram_bytes],
      ], eol) + eol + eol
    case 'win32_logicaldisk':
      return (
        eol +
        disks(v)
          .map((d) => listFormat([
            ['DeviceID', d.device_id],
            ['DriveType', 3],
            ['ProviderName', ''],
            ['FreeSpace', d.free_bytes],
            ['Size', d.size_bytes],
            ['VolumeName', 'Windows'],
          ], eol))
          .join(eol + eol) +
        eol +
        eol
      )
    default:
      return null
  }
}

const SERVICES: Record<string, string> = {
  wuauserv: 'Windows Update',
  windefend: 'Microsoft Defender Antivirus Service',
  spooler: 'Print Spooler',
  bits: 'Background Intelligent Transfer Service',
  w32time: 'Windows Time',
  winrm: 'Windows Remote Management (WS-Management)',
  dnscache: 'DNS Client',
  eventlog: 'Windows Event Log',
  kanade: 'kanade agent',
}

/** Get-Service table for known names; null when the service does not exist. */
export function getService(name: string, eol: string): string | null {
  const display = SERVICES[name.toLowerCase()]
  if (!display) return null
  const status = name.toLowerCase() === 'wuauserv' || name.toLowerCase() === 'bits' ? 'Stopped' : 'Running'
  return (
    eol +
    `Status   Name               DisplayName` + eol +
    `------   ----               -----------` + eol +
    `${status.padEnd(8)} ${name.padEnd(18)} ${display}` + eol +
    eol
  )
}

export function windowsVer(v: MachineView): string {
  return `Microsoft Windows [Version ${v.facts.os_version}.4317]`
}
