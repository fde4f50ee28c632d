import { decodeHwInventory, decodeJsonBody, type HwInventory } from '../../../shared/wire'
import { parseTimestamp, toCanonical } from '../../../shared/time'
import { stmt } from './ledger'
import type { StreamProjector } from './types'

// Legacy inventory projector (INVENTORY stream, agents older than v0.14 — kanade 0.30 has no
// reader). Choice: a HwInventory on inventory.<pc>.hw becomes the PC's latest inventory_facts
// row under the pseudo job id `legacy-hw` (facts = the payload JSON verbatim, with a fixed
// display hint), so the inventory pages show it next to job-based inventory. Last writer
// wins in stream order, like job inventory. The `sw` / `net` categories never had a schema:
// they are dead-lettered (visible) rather than guessed at.

export const LEGACY_HW_JOB_ID = 'legacy-hw'

export const LEGACY_HW_DISPLAY = [
  { field: 'hostname', label: 'Hostname' },
  { field: 'os_name', label: 'OS' },
  { field: 'os_version', label: 'OS version' },
  { field: 'os_build', label: 'OS build' },
  { field: 'cpu_model', label: 'CPU' },
  { field: 'cpu_cores', label: 'Cores', type: 'number' },
  { field: 'ram_bytes', label: 'RAM', type: 'bytes' },
  {
    field: 'disks',
    label: 'Disks',
    type: 'table',
    columns: [
      { field: 'device_id', label: 'Device' },
      { field: 'file_system', label: 'File system' },
      { field: 'size_bytes', label: 'Size', type: 'bytes' },
      { field: 'free_bytes', label: 'Free', type: 'bytes' },
    ],
  },
]
export const LEGACY_HW_SUMMARY = [
  { field: 'hostname', label: 'Hostname' },
  { field: 'os_name', label: 'OS' },
  { field: 'ram_bytes', label: 'RAM', type: 'bytes' },
]

const UPSERT = `INSERT INTO inventory_facts (pc_id, job_id, facts_json, display_json, summary_json, collected_at, recorded_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(pc_id, job_id) DO UPDATE SET facts_json = excluded.facts_json, display_json = excluded.display_json,
    summary_json = excluded.summary_json, collected_at = excluded.collected_at, recorded_at = excluded.recorded_at`

const DISPLAY_JSON = JSON.stringify(LEGACY_HW_DISPLAY)
const SUMMARY_JSON = JSON.stringify(LEGACY_HW_SUMMARY)

export const inventoryProjector: StreamProjector<{ inv: HwInventory; text: string }> = {
  name: 'inventory',
  consumerSuffix: 'inventory_projector',
  stream: 'INVENTORY',
  // The whole stream, as kanade's own durable reads it.
  filter: null,
  hasData: (db) => stmt(db, "SELECT 1 FROM inventory_facts WHERE job_id = 'legacy-hw' LIMIT 1").get() !== undefined,
  decode(m) {
    const category = m.subject.split('.').pop()
    if (category !== 'hw') {
      throw new Error(`legacy inventory category "${category}" has no known schema (only inventory.<pc_id>.hw is projected)`)
    }
    const text = new TextDecoder().decode(m.data)
    return { inv: decodeJsonBody('HwInventory', decodeHwInventory, text), text }
  },
  apply(env, { inv, text }) {
    const r = stmt(env.db, UPSERT).run(
      inv.pc_id,
      LEGACY_HW_JOB_ID,
      text,
      DISPLAY_JSON,
      SUMMARY_JSON,
      toCanonical(parseTimestamp(inv.collected_at)!),
      toCanonical(env.now()),
    )
    return r.changes > 0
  },
}
