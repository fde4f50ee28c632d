import { createRng, mixSeed, type Rng } from './random'

// Who each simulated agent is: name, OS, agent version, behaviour profile and the machine
// facts its scripts report. Everything derives from (seed, index), so a fleet is reproducible.

export type OsFamily = 'windows' | 'linux' | 'macos'

/** normal; flaky = some runs fail; slow = runs take much longer; flapping = goes offline
 *  and comes back now and then. */
export type AgentProfile = 'normal' | 'flaky' | 'slow' | 'flapping'

export interface DiskFacts {
  device_id: string
  size_bytes: number
  free_bytes: number
  file_system: string
}

export interface MachineFacts {
  os_name: string
  os_version: string
  os_build: string
  manufacturer: string
  model: string
  serial_number: string
  cpu_model: string
  cpu_cores: number
  ram_bytes: number
  disks: DiskFacts[]
  ip_address: string
  mac_address: string
  domain: string
  /** Epoch ms of the last boot. */
  last_boot: number
  /** The interactive user (run_as user / whoami), e.g. CONTOSO\tanaka. */
  logged_on_user: string
}

export interface AgentIdentity {
  index: number
  pcId: string
  hostname: string
  osFamily: OsFamily
  agentVersion: string
  profile: AgentProfile
  facts: MachineFacts
}

export interface IdentityOptions {
  seed: number
  /** `PC-` → PC-0001, PC-0002…; default: office-style names such as SALES-LT-0007. */
  namePrefix?: string
  /** Fractions of agents with each non-normal profile (default 0.03 / 0.05 / 0.02). */
  failRate?: number
  slowRate?: number
  flapRate?: number
  /** Relative weights of OS families (default windows 94, linux 4, macos 2). */
  osMix?: Partial<Record<OsFamily, number>>
  /** Agent versions to draw from (default mostly 0.30.2). */
  versions?: readonly string[]
}

const DEPTS = ['ACCT', 'SALES', 'HR', 'ENG', 'OPS', 'MKT', 'LEGAL', 'IT', 'FIN', 'SUP'] as const
const GiB = 1024 ** 3
const GB = 1000 ** 3

interface Model {
  manufacturer: string
  model: string
  kind: 'PC' | 'LT'
}
const WINDOWS_MODELS: Model[] = [
  { manufacturer: 'Dell Inc.', model: 'OptiPlex 7010', kind: 'PC' },
  { manufacturer: 'Dell Inc.', model: 'Latitude 5440', kind: 'LT' },
  { manufacturer: 'HP', model: 'EliteBook 840 G10', kind: 'LT' },
  { manufacturer: 'HP', model: 'ProDesk 400 G9 SFF', kind: 'PC' },
  { manufacturer: 'LENOVO', model: 'ThinkPad T14 Gen 4', kind: 'LT' },
  { manufacturer: 'LENOVO', model: 'ThinkCentre M70q Gen 4', kind: 'PC' },
]
const CPUS = [
  { model: 'Intel(R) Core(TM) i5-13500', cores: 14 },
  { model: '13th Gen Intel(R) Core(TM) i7-1365U', cores: 10 },
  { model: 'AMD Ryzen 5 PRO 7540U w/ Radeon 740M Graphics', cores: 6 },
  { model: 'Intel(R) Core(TM) i5-1245U', cores: 10 },
  { model: '12th Gen Intel(R) Core(TM) i7-12700', cores: 12 },
]
const WINDOWS_OS = [
  { name: 'Microsoft Windows 11 Pro', version: '10.0.22631', build: '22631' },
  { name: 'Microsoft Windows 11 Enterprise', version: '10.0.26100', build: '26100' },
  { name: 'Microsoft Windows 10 Pro', version: '10.0.19045', build: '19045' },
]
const USERS = ['tanaka', 'suzuki', 'sato', 'yamada', 'kobayashi', 'ito', 'j.smith', 'm.garcia', 'a.chen', 'l.martin', 'k.nakamura', 'r.patel']

function pad4(n: number): string {
  return String(n).padStart(4, '0')
}

function weighted<T>(rng: Rng, items: readonly [T, number][]): T {
  let r = rng.next() * items.reduce((s, [, w]) => s + w, 0)
  for (const [v, w] of items) {
    r -= w
    if (r < 0) return v
  }
  return items[items.length - 1][0]
}

function profileFor(rng: Rng, opts: IdentityOptions): AgentProfile {
  const r = rng.next()
  const flap = opts.flapRate ?? 0.02
  const slow = opts.slowRate ?? 0.05
  const fail = opts.failRate ?? 0.03
  if (r < flap) return 'flapping'
  if (r < flap + slow) return 'slow'
  if (r < flap + slow + fail) return 'flaky'
  return 'normal'
}

function windowsFacts(rng: Rng, index: number): { facts: Omit<MachineFacts, 'last_boot'>; kind: 'PC' | 'LT' } {
  const m = rng.pick(WINDOWS_MODELS)
  const cpu = rng.pick(CPUS)
  const os = rng.pick(WINDOWS_OS)
  const diskBytes = rng.pick([256, 512, 512, 1024]) * GB
  return {
    kind: m.kind,
    facts: {
      os_name: os.name,
      os_version: os.version,
      os_build: os.build,
      manufacturer: m.manufacturer,
      model: m.model,
      serial_number: `${m.manufacturer.slice(0, 2).toUpperCase()}${(0x10000000 + index * 7919 + rng.int(0, 9999)).toString(36).toUpperCase()}`,
      cpu_model: cpu.model,
      cpu_cores: cpu.cores,
      ram_bytes: rng.pick([8, 16, 16, 32]) * GiB,
      disks: [{ device_id: 'C:', size_bytes: diskBytes, free_bytes: Math.round(diskBytes * rng.range(0.12, 0.7)), file_system: 'NTFS' }],
      ip_address: `10.${10 + (index >> 16)}.${(index >> 8) & 255}.${(index & 255) || 1}`,
      mac_address: macFor(rng),
      domain: 'corp.contoso.com',
      logged_on_user: `CONTOSO\\${rng.pick(USERS)}`,
    },
  }
}

function unixFacts(rng: Rng, index: number, family: 'linux' | 'macos'): Omit<MachineFacts, 'last_boot'> {
  const diskBytes = rng.pick([512, 1024]) * GB
  const mac = family === 'macos'
  return {
    os_name: mac ? 'macOS 14.6.1' : 'Ubuntu 22.04.4 LTS',
    os_version: mac ? '14.6.1' : '22.04',
    os_build: mac ? '23G93' : '5.15.0-119-generic',
    manufacturer: mac ? 'Apple Inc.' : 'Dell Inc.',
    model: mac ? 'MacBook Pro (14-inch, 2023)' : 'Precision 3660',
    serial_number: `${mac ? 'C02' : 'DL'}${(0x20000000 + index * 104729).toString(36).toUpperCase()}`,
    cpu_model: mac ? 'Apple M2 Pro' : '12th Gen Intel(R) Core(TM) i9-12900',
    cpu_cores: mac ? 10 : 16,
    ram_bytes: (mac ? 16 : 64) * GiB,
    disks: [
      {
        device_id: mac ? '/System/Volumes/Data' : '/',
        size_bytes: diskBytes,
        free_bytes: Math.round(diskBytes * rng.range(0.2, 0.8)),
        file_system: mac ? 'apfs' : 'ext4',
      },
    ],
    ip_address: `10.${20 + (index >> 16)}.${(index >> 8) & 255}.${(index & 255) || 1}`,
    mac_address: macFor(rng),
    domain: 'corp.contoso.com',
    logged_on_user: rng.pick(USERS),
  }
}

function macFor(rng: Rng): string {
  const bytes = [0x00, 0x1a, 0x2b, rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)]
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-')
}

/** The identity of agent number `index` (0-based) in a fleet built from `opts`. */
export function agentIdentity(index: number, opts: IdentityOptions, now = Date.now()): AgentIdentity {
  const rng = createRng(mixSeed(opts.seed, index + 1))
  const mix = opts.osMix ?? { windows: 94, linux: 4, macos: 2 }
  const osFamily = weighted<OsFamily>(rng, [
    ['windows', mix.windows ?? 0],
    ['linux', mix.linux ?? 0],
    ['macos', mix.macos ?? 0],
  ])
  const versions = opts.versions ?? ['0.30.2', '0.30.2', '0.30.2', '0.30.1', '0.30.1', '0.30.0']
  const agentVersion = rng.pick(versions)
  const profile = profileFor(rng, opts)
  const dept = DEPTS[(index * 7 + rng.int(0, DEPTS.length - 1)) % DEPTS.length]
  let facts: Omit<MachineFacts, 'last_boot'>
  let pcId: string
  if (osFamily === 'windows') {
    const w = windowsFacts(rng, index)
    facts = w.facts
    pcId = opts.namePrefix !== undefined ? `${opts.namePrefix}${pad4(index + 1)}` : `${dept}-${w.kind}-${pad4(index + 1)}`
  } else {
    facts = unixFacts(rng, index, osFamily)
    const kind = osFamily === 'macos' ? 'mbp' : 'ws'
    pcId = opts.namePrefix !== undefined ? `${opts.namePrefix}${pad4(index + 1)}` : `${dept.toLowerCase()}-${kind}-${pad4(index + 1)}`
  }
  // Booted some hours to a few days ago.
  const lastBoot = now - Math.round(rng.range(2, 24 * 6) * 3_600_000)
  return { index, pcId, hostname: pcId, osFamily, agentVersion, profile, facts: { ...facts, last_boot: lastBoot } }
}
