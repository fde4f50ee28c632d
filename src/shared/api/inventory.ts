import { z } from 'zod'
import { op } from './op'

// Inventory facts (kanade 0.30 routes #38–40): the JSON stdout of inventory jobs, latest per
// (PC, manifest), with the manifest's display hints snapshotted alongside.

export interface DisplayFieldOut {
  field: string
  label: string
  type?: string
  columns?: DisplayFieldOut[]
}

export const DisplayFieldOut: z.ZodType<DisplayFieldOut> = z.object({
  field: z.string(),
  label: z.string(),
  type: z.string().optional(),
  get columns() {
    return z.array(DisplayFieldOut).optional()
  },
})

const Display = z.array(DisplayFieldOut).nullable()

export const InventoryJobRow = z.object({
  manifest_id: z.string(),
  description: z.string().nullable(),
  display: Display,
  summary: Display,
})

export const InventoryByJob = z.object({
  manifest_id: z.string(),
  display: Display,
  summary: Display,
  rows: z.array(z.object({ pc_id: z.string(), facts: z.unknown(), collected_at: z.string().nullable() })),
})

export const InventoryPcRow = z.object({
  job_id: z.string(),
  facts: z.unknown(),
  display: Display,
  summary: Display,
  collected_at: z.string().nullable(),
  recorded_at: z.string(),
})

export const inventoryOps = {
  inventoryJobs: op({
    method: 'GET',
    path: '/api/inventory/jobs',
    summary: 'Manifests with an inventory hint, sorted by id (from the job catalog; from stored facts without a broker)',
    response: InventoryJobRow,
    list: true,
  }),
  inventoryByJob: op({
    method: 'GET',
    path: '/api/inventory/by-job/:manifest_id',
    summary: 'Facts of every PC for one inventory manifest',
    params: z.object({ manifest_id: z.string().min(1) }),
    response: InventoryByJob,
  }),
  inventoryForPc: op({
    method: 'GET',
    path: '/api/inventory/:pc_id',
    summary: 'Every inventory manifest’s facts for one PC, by job id',
    params: z.object({ pc_id: z.string().min(1) }),
    response: InventoryPcRow,
    list: true,
  }),
} as const
