import { badRequest } from '../../../shared/api/errors'
import { toCanonical } from '../../../shared/time'
import { nextFires, validateCron } from './cron'

// The schedule editor's preview of a draft cron: the same check a save makes (so the reason
// reads the same as the 400 of POST /api/schedules), then the next fires in the zone.

export function previewCron(cron: string, tz: string | null | undefined, count: number, nowMs: number) {
  const zone = tz ?? 'UTC'
  const check = validateCron(cron, zone)
  if (!check.ok) throw badRequest(`invalid cron: ${check.reason}`)
  return { ok: true as const, cron: cron.trim(), tz: zone, fires: nextFires(cron, nowMs, count, zone).map(toCanonical) }
}
