// HwInventory / DiskInfo — subject inventory.<pc_id>.hw, legacy agents < v0.14 only (§4.6).
import { z } from 'zod'
import { decodeWith, presentNullable } from './codec'
import { TimestampSchema, U32, U64 } from './common'

export interface DiskInfo {
  device_id: string
  size_bytes: number
  free_bytes: number
  /** Key always present; null when unknown. */
  file_system: string | null
}

export interface HwInventory {
  pc_id: string
  hostname: string
  os_name: string
  os_version: string
  /** Key always present; null when unknown. */
  os_build: string | null
  cpu_model: string
  cpu_cores: number
  ram_bytes: number
  disks: DiskInfo[]
  collected_at: string
}

export const DiskInfoSchema: z.ZodType<DiskInfo> = z
  .object({
    device_id: z.string(),
    size_bytes: U64,
    free_bytes: U64,
    file_system: presentNullable(z.string(), 'file_system'),
  })
  .transform(
    (d): DiskInfo => ({
      device_id: d.device_id,
      size_bytes: d.size_bytes,
      free_bytes: d.free_bytes,
      file_system: d.file_system,
    }),
  )

export const HwInventorySchema: z.ZodType<HwInventory> = z
  .object({
    pc_id: z.string(),
    hostname: z.string(),
    os_name: z.string(),
    os_version: z.string(),
    os_build: presentNullable(z.string(), 'os_build'),
    cpu_model: z.string(),
    cpu_cores: U32,
    ram_bytes: U64,
    disks: z.array(DiskInfoSchema),
    collected_at: TimestampSchema,
  })
  .transform(
    (h): HwInventory => ({
      pc_id: h.pc_id,
      hostname: h.hostname,
      os_name: h.os_name,
      os_version: h.os_version,
      os_build: h.os_build,
      cpu_model: h.cpu_model,
      cpu_cores: h.cpu_cores,
      ram_bytes: h.ram_bytes,
      disks: h.disks,
      collected_at: h.collected_at,
    }),
  )

export function decodeHwInventory(raw: unknown): HwInventory {
  return decodeWith('HwInventory', HwInventorySchema, raw)
}

/** Compact JSON in kanade's key order (os_build / file_system written as null). */
export function encodeHwInventory(inv: HwInventory): string {
  return JSON.stringify(decodeHwInventory(inv))
}
