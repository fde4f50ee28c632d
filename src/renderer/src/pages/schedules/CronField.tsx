import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Icon } from '../../components/Icon'
import { buildCron, cronFields, DAYS, type CronChoice, type Day } from './cronHelper'

// The cron input, its fields labelled underneath, and a helper that writes common crons from a
// time in the admin's zone.

export function CronField({ value, onChange, zone }: { value: string; onChange: (v: string) => void; zone: string }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [kind, setKind] = useState<CronChoice['kind']>('daily')
  const [every, setEvery] = useState(15)
  const [minute, setMinute] = useState(0)
  const [time, setTime] = useState('09:00')
  const [day, setDay] = useState<Day>('MON')
  const choice: CronChoice =
    kind === 'minutes' ? { kind, every } : kind === 'hourly' ? { kind, minute } : kind === 'weekly' ? { kind, day, time } : { kind, time }
  const built = buildCron(choice)
  const fields = cronFields(value)
  const names = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6'] as const
  return (
    <div className="field">
      <label htmlFor="sched-cron">{t('scheduleEditor.cron')}</label>
      <div className="row">
        <input id="sched-cron" className="input mono" style={{ flex: 1 }} value={value} onChange={(e) => onChange(e.target.value)} placeholder="0 0 9 * * MON-FRI" spellCheck={false} />
        <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <Icon name="schedules" /> {t('scheduleEditor.helper')}
        </button>
      </div>
      {fields.length ? (
        <div className="cron-fields" aria-hidden>
          {fields.slice(0, 7).map((f, i) => (
            <span key={i}>
              <code>{f}</code>
              <small>{t(`scheduleEditor.cronFields.${names[i]}`)}</small>
            </span>
          ))}
        </div>
      ) : null}
      <span className="hint">{t('scheduleEditor.cronHint', { zone })}</span>
      {open ? (
        <div className="cron-helper">
          <div className="row wrap-row">
            <select className="select" aria-label={t('scheduleEditor.helperKind')} value={kind} onChange={(e) => setKind(e.target.value as CronChoice['kind'])}>
              {(['minutes', 'hourly', 'daily', 'weekdays', 'weekly'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`scheduleEditor.kinds.${k}`)}
                </option>
              ))}
            </select>
            {kind === 'minutes' ? (
              <>
                <input className="input" type="number" min={1} max={59} style={{ width: 70 }} aria-label={t('scheduleEditor.every')} value={every} onChange={(e) => setEvery(Number(e.target.value) || 1)} />
                <span className="muted">{t('scheduleEditor.minutesUnit')}</span>
              </>
            ) : null}
            {kind === 'hourly' ? <input className="input" type="number" min={0} max={59} style={{ width: 70 }} aria-label={t('scheduleEditor.minute')} value={minute} onChange={(e) => setMinute(Number(e.target.value) || 0)} /> : null}
            {kind === 'weekly' ? (
              <select className="select" aria-label={t('scheduleEditor.day')} value={day} onChange={(e) => setDay(e.target.value as Day)}>
                {DAYS.map((d) => (
                  <option key={d} value={d}>
                    {t(`scheduleEditor.days.${d}`)}
                  </option>
                ))}
              </select>
            ) : null}
            {kind === 'daily' || kind === 'weekdays' || kind === 'weekly' ? <input className="input" type="time" aria-label={t('scheduleEditor.at')} value={time} onChange={(e) => setTime(e.target.value)} /> : null}
            <code className="cron-built">{built}</code>
            <button type="button" className="btn small primary" onClick={() => onChange(built)}>
              {t('scheduleEditor.useCron')}
            </button>
          </div>
          {kind !== 'minutes' ? <span className="hint">{t('scheduleEditor.zoneNote', { zone })}</span> : null}
        </div>
      ) : null}
    </div>
  )
}
