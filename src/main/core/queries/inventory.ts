import type { Db } from '../db/open'
import type { DisplayFieldOut } from '../../../shared/api/inventory'
import { jsonOrText, ts } from './sql'

// inventory_facts: latest facts per (PC, manifest) with display-hint snapshots.

interface FactDbRow {
  pc_id: string
  job_id: string
  facts_json: string
  display_json: string | null
  summary_json: string | null
  collected_at: string | null
  recorded_at: string
}

/** Display hints are arrays of DisplayField; anything else stored there reads as null. */
export function hintOrNull(text: string | null): DisplayFieldOut[] | null {
  const v = jsonOrText(text)
  return Array.isArray(v) ? (v as DisplayFieldOut[]) : null
}

export function factsForPc(db: Db, pcId: string) {
  const rows = db
    .prepare('SELECT * FROM inventory_facts WHERE pc_id = ? ORDER BY job_id')
    .all(pcId) as FactDbRow[]
  return rows.map((r) => ({
    job_id: r.job_id,
    facts: jsonOrText(r.facts_json),
    display: hintOrNull(r.display_json),
    summary: hintOrNull(r.summary_json),
    collected_at: ts(r.collected_at),
    recorded_at: ts(r.recorded_at) ?? r.recorded_at,
  }))
}

export function factsForJob(db: Db, jobId: string) {
  const rows = db
    .prepare('SELECT * FROM inventory_facts WHERE job_id = ? ORDER BY pc_id')
    .all(jobId) as FactDbRow[]
  // The newest snapshot of the hints stands for the manifest when the catalog is unreachable.
  let latest: FactDbRow | null = null
  for (const r of rows) if (!latest || r.recorded_at > latest.recorded_at) latest = r
  return {
    display: latest ? hintOrNull(latest.display_json) : null,
    summary: latest ? hintOrNull(latest.summary_json) : null,
    rows: rows.map((r) => ({ pc_id: r.pc_id, facts: jsonOrText(r.facts_json), collected_at: ts(r.collected_at) })),
  }
}

/** Manifests that have stored facts, with their newest hint snapshots (no-broker fallback). */
export function jobsWithFacts(db: Db) {
  const rows = db
    .prepare(
      `SELECT f.job_id, f.display_json, f.summary_json FROM inventory_facts f
        WHERE f.recorded_at = (SELECT MAX(recorded_at) FROM inventory_facts g WHERE g.job_id = f.job_id)
        GROUP BY f.job_id ORDER BY f.job_id`,
    )
    .all() as Pick<FactDbRow, 'job_id' | 'display_json' | 'summary_json'>[]
  return rows.map((r) => ({
    manifest_id: r.job_id,
    description: null,
    display: hintOrNull(r.display_json),
    summary: hintOrNull(r.summary_json),
  }))
}
