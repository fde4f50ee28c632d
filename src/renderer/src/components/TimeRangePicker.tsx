import { useTranslation } from 'react-i18next'
import { fromLocalInput, RANGES, toLocalInput } from '../lib/timeRange'

// Preset ranges plus a custom from/to (local time).

export function TimeRangePicker({ range, since, until, onChange }: {
  range: string
  since: string
  until: string
  onChange: (patch: { range?: string | null; since?: string | null; until?: string | null }) => void
}) {
  const { t } = useTranslation()
  const custom = !!(since || until) || range === 'custom'
  const value = custom ? 'custom' : range || 'all'
  return (
    <>
      <select
        className="select"
        aria-label={t('activity.range')}
        value={value}
        onChange={(e) => {
          const v = e.target.value
          if (v === 'custom') onChange({ range: 'custom' })
          else onChange({ range: v === 'all' ? null : v, since: null, until: null })
        }}
      >
        {RANGES.map((r) => (
          <option key={r} value={r}>
            {t(`time.range.${r}`)}
          </option>
        ))}
        <option value="custom">{t('time.range.custom')}</option>
      </select>
      {custom ? (
        <>
          <input className="input" type="datetime-local" aria-label={t('time.since')} title={t('time.since')} value={toLocalInput(since)} onChange={(e) => onChange({ since: fromLocalInput(e.target.value), range: 'custom' })} />
          <span className="faint">–</span>
          <input className="input" type="datetime-local" aria-label={t('time.until')} title={t('time.until')} value={toLocalInput(until)} onChange={(e) => onChange({ until: fromLocalInput(e.target.value), range: 'custom' })} />
        </>
      ) : null}
    </>
  )
}
