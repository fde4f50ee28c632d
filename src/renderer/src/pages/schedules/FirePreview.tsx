import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { fmtDateTime, fmtRelative, localZone, toMs } from '../../lib/format'
import { useDebounced } from '../../lib/useDebounced'
import { useNow } from '../../lib/useNow'
import { LastRun } from './ScheduleState'

// The next fires, in the schedule's zone (with the admin's own time alongside). While the cron
// or zone differs from what is saved, the server previews the draft as the admin types
// (POST /api/schedules/preview, debounced) and says why it is invalid; a saved, unchanged
// schedule shows what the scheduler will actually do (GET /api/schedules/upcoming?schedule_id=),
// why it is invalid, and its last tick.

const COUNT = 8

export interface FirePreviewProps {
  scheduleId: string | null
  cron: string
  zone: string
  /** The stored cron and zone (null for a new schedule). */
  saved: { cron: string; zone: string } | null
}

/** Read again once the first listed fire has passed (one timer, no polling). */
function useRefetchAfter(first: string | undefined, refetch: () => unknown): void {
  useEffect(() => {
    const ms = toMs(first)
    if (ms === null) return
    const h = setTimeout(() => void refetch(), Math.max(1000, ms - Date.now() + 1000))
    return () => clearTimeout(h)
  }, [first, refetch])
}

export function FirePreview({ scheduleId, cron, zone, saved }: FirePreviewProps) {
  const { t } = useTranslation()
  const now = useNow()
  const isSaved = !!scheduleId && !!saved && saved.cron.trim() === cron.trim() && saved.zone === zone
  // Strings, not an object: a fresh object each render would restart the debounce forever.
  const draft = { cron: useDebounced(cron.trim()), tz: useDebounced(zone) }
  const preview = useOp('previewSchedule', { body: { ...draft, count: COUNT } }, { enabled: !isSaved && draft.cron !== '', retry: false, keepPrevious: true })
  const upcoming = useOp('upcomingSchedules', { query: { schedule_id: scheduleId ?? '', limit: COUNT } }, { enabled: isSaved, retry: false })
  const states = useOp('scheduleStates', undefined, { enabled: !!scheduleId, retry: false })
  const st = states.data?.items.find((s) => s.schedule_id === scheduleId)

  let fires: string[] = []
  if (isSaved) {
    fires = (upcoming.data?.items ?? []).map((f) => f.fire_at)
    if (!fires.length && st?.next_fire_at) fires = [st.next_fire_at]
  } else if (!preview.error) {
    fires = preview.data?.fires ?? []
  }
  useRefetchAfter(fires[0], isSaved ? upcoming.refetch : preview.refetch)
  const pending = isSaved ? upcoming.isPending || states.isPending : preview.isPending && draft.cron !== ''
  const settled = isSaved ? !!upcoming.data && !!states.data : !!preview.data && !preview.isPlaceholderData
  const mine = localZone()
  return (
    <section className="card" data-testid="fire-preview" data-source={isSaved ? 'scheduled' : 'draft'}>
      <div className="card-head">
        <h2>{t('scheduleEditor.previewIn', { zone })}</h2>
      </div>
      <div className="card-body stack">
        {!isSaved ? <p className="muted" style={{ margin: 0 }}>{t('scheduleEditor.previewDraft')}</p> : null}
        {pending && !fires.length ? <Loading /> : null}
        {isSaved && upcoming.error ? <ErrorNotice error={upcoming.error} /> : null}
        {!isSaved && preview.error ? (
          <div data-testid="cron-invalid">
            <ErrorNotice error={preview.error} title={t('scheduleEditor.validation')} />
          </div>
        ) : null}
        {isSaved && st?.status === 'invalid' ? (
          <div className="notice bad" data-testid="schedule-invalid-reason">
            <Icon name="alert" />
            <span>{st.invalid_reason}</span>
          </div>
        ) : null}
        {settled && fires.length === 0 && !(isSaved && st?.status === 'invalid') ? (
          <p className="muted" style={{ margin: 0 }}>{isSaved ? t('scheduleEditor.previewNone') : t('scheduleEditor.previewDraftNone')}</p>
        ) : null}
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
