// Manifest / Execute / InventoryHint / DisplayField — KV jobs[<id>] (§5.1).
// The top level rejects unknown keys (0.30 agents decode it with deny_unknown_fields).
import { z } from 'zod'
import { compact, decodeWith, orNull, orUnset, withDefault, type Optional } from './codec'
import {
  DEFAULT_STALENESS,
  RunAsSchema,
  ShellSchema,
  StalenessSchema,
  stalenessJson,
  type RunAs,
  type Shell,
  type Staleness,
} from './common'

export interface Execute {
  shell: Shell
  script: string
  /** Humantime; lowered to Command.timeout_secs. */
  timeout: string
  run_as: RunAs
  cwd?: string
}

export interface DisplayField {
  /** Top-level key of the stdout JSON object (or of a table row). */
  field: string
  label: string
  /** Free-form render hint: number, bytes, timestamp, table… */
  type?: string
  /** Row columns when `type` is `table`. */
  columns?: DisplayField[]
}

export interface InventoryHint {
  display: DisplayField[]
  /** Unset = consumers fall back to `display`. */
  summary?: DisplayField[]
}

export interface Manifest {
  id: string
  version: string
  description: string | null
  execute: Execute
  require_approval: boolean
  inventory: InventoryHint | null
  staleness: Staleness
}

export type ExecuteInit = Optional<Execute, 'run_as'>
export type ManifestInit = Optional<Manifest, 'description' | 'require_approval' | 'inventory' | 'staleness'> & {
  execute: ExecuteInit
}

export const ExecuteSchema: z.ZodType<Execute> = z
  .object({
    shell: ShellSchema,
    script: z.string(),
    timeout: z.string(),
    run_as: withDefault(RunAsSchema, () => 'system' as const),
    cwd: orUnset(z.string()),
  })
  .transform((e): Execute => compact({ shell: e.shell, script: e.script, timeout: e.timeout, run_as: e.run_as, cwd: e.cwd }))

export const DisplayFieldSchema: z.ZodType<DisplayField> = z
  .object({
    field: z.string(),
    label: z.string(),
    type: orUnset(z.string()),
    get columns() {
      return orUnset(z.array(DisplayFieldSchema))
    },
  })
  .transform((d): DisplayField => compact({ field: d.field, label: d.label, type: d.type, columns: d.columns }))

export const InventoryHintSchema: z.ZodType<InventoryHint> = z
  .object({
    display: z.array(DisplayFieldSchema),
    summary: orUnset(z.array(DisplayFieldSchema)),
  })
  .transform((h): InventoryHint => compact({ display: h.display, summary: h.summary }))

const manifestShape = {
  id: z.string(),
  version: z.string(),
  description: orNull(z.string()),
  execute: ExecuteSchema,
  require_approval: withDefault(z.boolean(), () => false),
  inventory: orNull(InventoryHintSchema),
  staleness: withDefault(StalenessSchema, () => DEFAULT_STALENESS),
}

const ordered = (m: Manifest): Manifest => ({
  id: m.id,
  version: m.version,
  description: m.description,
  execute: m.execute,
  require_approval: m.require_approval,
  inventory: m.inventory,
  staleness: m.staleness,
})

export const ManifestSchema: z.ZodType<Manifest> = z.strictObject(manifestShape).transform(ordered)

// The encoder only strips: it writes the 0.30 keys whatever else the value carries.
const ManifestEncodeSchema: z.ZodType<Manifest> = z.object(manifestShape).transform(ordered)

/** Decode a Manifest; rejects unknown top-level keys (e.g. pre-v0.18 `target`). */
export function decodeManifest(raw: unknown): Manifest {
  return decodeWith('Manifest', ManifestSchema, raw)
}

function displayJson(d: DisplayField): DisplayField {
  return compact({ field: d.field, label: d.label, type: d.type, columns: d.columns?.map(displayJson) })
}

/** Compact JSON with only the 0.30 keys: description / inventory written as null when
 *  unset, require_approval / run_as / staleness always written, cwd / summary / type /
 *  columns omitted when unset. */
export function encodeManifest(manifest: ManifestInit): string {
  const m = decodeWith('Manifest', ManifestEncodeSchema, manifest)
  const e = m.execute
  return JSON.stringify({
    id: m.id,
    version: m.version,
    description: m.description,
    execute: compact({ shell: e.shell, script: e.script, timeout: e.timeout, run_as: e.run_as, cwd: e.cwd }),
    require_approval: m.require_approval,
    inventory:
      m.inventory &&
      compact({ display: m.inventory.display.map(displayJson), summary: m.inventory.summary?.map(displayJson) }),
    staleness: stalenessJson(m.staleness),
  })
}
