import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { fmtDateTime, fmtRelative, localZone } from '../../lib/format'
import { useNow } from '../../lib/useNow'
import { LastRun } from './ScheduleState'

// The server's view of a saved schedule: its next fires (in the schedule's zone, with the
// admin's own time alongside), why it is invalid, and its last tick.

export function FirePreview({ scheduleId, zone, saved }: { scheduleId: string | null; zone: string; saved: boolean }) {
  const { t } = useTranslation()
  const now = useNow()
  const enabled = saved && !!scheduleId
  const upcoming = useOp('upcomingSchedules', { query: { limit: 200 } }, { enabled, retry: false })
  const states = useOp('scheduleStates', undefined, { enabled, retry: false })
  const st = states.data?.items.find((s) => s.schedule_id === scheduleId)
  let fires = (upcoming.data?.items ?? []).filter((f) => f.schedule_id === scheduleId).map((f) => f.fire_at).slice(0, 8)
  if (!fires.length && st?.next_fire_at) fires = [st.next_fire_at]
  const mine = localZone()
  return (
    <section className="card" data-testid="fire-preview">
      <div className="card-head">
        <h2>{t('scheduleEditor.previewIn', { zone })}</h2>
      </div>
      <div className="card-body stack">
        {!enabled ? <p className="muted" style={{ margin: 0 }}>{t('scheduleEditor.previewDraft')}</p> : null}
        {enabled && (upcoming.isPending || states.isPending) ? <Loading /> : null}
        {upcoming.error ? <ErrorNotice error={upcoming.error} /> : null}
        {st?.status === 'invalid' ? (
          <div className="notice bad" data-testid="schedule-invalid-reason">
            <Icon name="alert" />
            <span>{st.invalid_reason}</span>
          </div>
        ) : null}
        {enabled && upcoming.data && states.data && fires.length === 0 && st?.status !== 'invalid' ? <p className="muted" style={{ margin: 0 }}>{t('scheduleEditor.previewNone')}</p> : null}
        {fires.length ? (
          <ol className="fires">
            {fires.map((f) => (
              <li key={f} data-testid="fire">
                <span className="mono">{fmtDateTime(f, { seconds: true, zone })}</span>
                <span className="faint">{fmtRelative(f, now)}</span>
                {mine !== zone ? <span className="faint">{t('scheduleEditor.previewLocal', { time: fmtDateTime(f) })}</span> : null}
              </li>
            ))}
          </ol>
        ) : null}
        {st?.last_tick_at ? (
          <div className="row">
            <span className="muted">{t('scheduleEditor.state')}:</span>
            <LastRun st={st} />
          </div>
        ) : null}
      </div>
    </section>
  )
}
