import { Link } from 'react-router'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { OpOut } from '../../api/types'
import { Icon } from '../../components/Icon'
import { Badge } from '../../components/Status'
import { AbsTime, RelTime } from '../../components/Time'

// What the scheduler knows about a schedule: next fire or why it will not fire, and the last tick.

export type ScheduleState = OpOut<'scheduleStates'>['items'][number]
type Row = OpOut<'listSchedules'>['items'][number]
const OUTCOMES = ['fired', 'skipped', 'job_missing', 'failed', 'misfire_skipped', 'interrupted', 'dispatching'] as const

export function NextFire({ s, st }: { s: Row; st: ScheduleState | undefined }) {
  const { t } = useTranslation()
  if (st?.status === 'invalid') {
    return (
      <span className="badge bad" title={st.invalid_reason ?? undefined} data-testid="schedule-invalid">
        <Icon name="alert" size={12} /> {t('schedules.invalid')}: {st.invalid_reason}
      </span>
    )
  }
  if (s.runs_on === 'agent') return <Badge tone="accent">{t('schedules.agentSide')}</Badge>
  if (!s.enabled) return <span className="faint">{t('status.disabled')}</span>
  if (st?.next_fire_at) {
    return (
      <span>
        <RelTime ts={st.next_fire_at} /> <span className="faint">· <AbsTime ts={st.next_fire_at} /></span>
      </span>
    )
  }
  if (st) {
    return (
      <span className="badge warn" title={t('schedules.noNextHint')}>
        <Icon name="alert" size={12} /> {t('schedules.noNext')}
      </span>
    )
  }
  return <span className="faint">—</span>
}

export function outcomeText(outcome: string | null, t: TFunction): string {
  if (!outcome) return '—'
  return (OUTCOMES as readonly string[]).includes(outcome) ? t(`schedules.outcomes.${outcome as (typeof OUTCOMES)[number]}`) : outcome
}

export function LastRun({ st }: { st: ScheduleState | undefined }) {
  const { t } = useTranslation()
  if (!st?.last_tick_at) return <span className="faint">—</span>
  const tone = st.last_outcome === 'fired' ? 'ok' : st.last_outcome === 'failed' || st.last_outcome === 'job_missing' ? 'bad' : 'idle'
  const badge = <Badge tone={tone}>{outcomeText(st.last_outcome, t)}</Badge>
  return (
    <span className="row" title={st.last_message ?? undefined}>
      {st.last_exec_id ? (
        <Link to={`/executions/${encodeURIComponent(st.last_exec_id)}`} onClick={(e) => e.stopPropagation()}>
          {badge}
        </Link>
      ) : (
        badge
      )}
      <RelTime ts={st.last_tick_at} className="muted" />
    </span>
  )
}
