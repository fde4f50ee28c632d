import { z } from 'zod'
import { op, type OperationDef } from './op'

// Jobs catalog (KV `jobs`): kanade 0.30 routes 32–34 plus GET one job. Bodies are the 0.30
// Manifest (JSON or YAML); the handler re-checks them with the wire decoder.

const Shell = z.enum(['powershell', 'cmd'])
const RunAs = z.enum(['system', 'user', 'system_gui'])

export const StalenessShape = z.union([
  z.object({ mode: z.literal('cached') }),
  z.object({ mode: z.literal('unchecked') }),
  z.object({ mode: z.literal('strict'), max_cache_age: z.string() }),
])

export interface DisplayFieldShape {
  field: string
  label: string
  type?: string
  columns?: DisplayFieldShape[]
}

export const DisplayFieldShape: z.ZodType<DisplayFieldShape> = z.object({
  field: z.string(),
  label: z.string(),
  type: z.string().optional(),
  get columns() {
    return z.array(DisplayFieldShape).optional()
  },
})

export const InventoryHintShape = z.object({
  display: z.array(DisplayFieldShape),
  summary: z.array(DisplayFieldShape).optional(),
})

/** A stored 0.30 Manifest (what GET returns). */
export const ManifestRow = z.object({
  id: z.string(),
  version: z.string(),
  description: z.string().nullable(),
  execute: z.object({
    shell: Shell,
    script: z.string(),
    timeout: z.string(),
    run_as: RunAs,
    cwd: z.string().optional(),
  }),
  require_approval: z.boolean(),
  inventory: InventoryHintShape.nullable(),
  staleness: StalenessShape,
})

/** POST body: optional keys may be left out or null; unknown top-level keys are refused
 *  (0.30 agents decode `jobs` values with deny_unknown_fields). */
export const ManifestBody = z.strictObject({
  id: z.string(),
  version: z.string(),
  description: z.string().nullish(),
  execute: z.object({
    shell: Shell,
    script: z.string(),
    timeout: z.string(),
    run_as: RunAs.nullish(),
    cwd: z.string().nullish(),
  }),
  require_approval: z.boolean().nullish(),
  inventory: InventoryHintShape.nullish(),
  staleness: StalenessShape.nullish(),
})

export const JobUpsertResponse = z.object({
  id: z.string(),
  version: z.string(),
  description: z.string().nullable(),
  inventory: z.boolean(),
})

const JobIdParams = z.object({ id: z.string() })

export const jobsOps = {
  listJobs: op({
    method: 'GET',
    path: '/api/jobs',
    summary: 'Job catalog (0.30 manifests), sorted by id',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100_000).optional(),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    response: ManifestRow,
    list: true,
  }),
  getJob: op({
    method: 'GET',
    path: '/api/jobs/:id',
    summary: 'One manifest of the catalog',
    params: JobIdParams,
    response: ManifestRow,
  }),
  upsertJob: op({
    method: 'POST',
    path: '/api/jobs',
    summary: 'Create or replace a manifest (JSON or YAML); pins script_current to its version',
    body: ManifestBody,
    bodyFormats: ['yaml'],
    response: JobUpsertResponse,
    mutates: true,
    nats: true,
  }),
  deleteJob: op({
    method: 'DELETE',
    path: '/api/jobs/:id',
    summary: 'Revoke, then delete a manifest (409 while a schedule references it)',
    params: JobIdParams,
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
} as const satisfies Record<string, OperationDef>
