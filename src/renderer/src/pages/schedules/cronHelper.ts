// Builds 6-field cron expressions (sec min hour dom mon dow) from a friendly choice. This only
// WRITES cron text; validating it and computing the next fires is the server's job (the cron is
// evaluated in the schedule's `tz`).

export const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const
export type Day = (typeof DAYS)[number]

export type CronChoice =
  | { kind: 'minutes'; every: number }
  | { kind: 'hourly'; minute: number }
  | { kind: 'daily'; time: string }
  | { kind: 'weekdays'; time: string }
  | { kind: 'weekly'; day: Day; time: string }

/** The cron for a choice; the schedule's `tz` says which zone its hours are in. */
export function buildCron(choice: CronChoice): string {
  const hm = (time: string) => {
    const [h, m] = time.split(':').map(Number)
    return { hour: Math.min(23, Math.max(0, h || 0)), minute: Math.min(59, Math.max(0, m || 0)) }
  }
  switch (choice.kind) {
    case 'minutes':
      return `0 */${Math.max(1, Math.min(59, Math.round(choice.every)))} * * * *`
    case 'hourly':
      return `0 ${Math.min(59, Math.max(0, Math.round(choice.minute)))} * * * *`
    case 'daily': {
      const t = hm(choice.time)
      return `0 ${t.minute} ${t.hour} * * *`
    }
    case 'weekdays': {
      const t = hm(choice.time)
      return `0 ${t.minute} ${t.hour} * * MON-FRI`
    }
    case 'weekly': {
      const t = hm(choice.time)
      return `0 ${t.minute} ${t.hour} * * ${choice.day}`
    }
  }
}

/** The cron's fields, for labelling under the input (no evaluation). */
export function cronFields(cron: string): string[] {
  return cron.trim().split(/\s+/).filter(Boolean)
}

/** Time zones for the picker: the browser's list when available. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] }
  const list = intl.supportedValuesOf?.('timeZone') ?? []
  return list.includes('UTC') ? list : ['UTC', ...list]
}
