import { useMemo, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { useOp, useOpMutation } from '../../api/hooks'
import type { OpOut } from '../../api/types'
import { LastRun, NextFire } from './ScheduleState'
import { failureText } from '../../components/ErrorNotice'
import { ListStatus } from '../../components/ListStatus'
import { Icon } from '../../components/Icon'
import { ActionMenu } from '../../components/Menu'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { toast } from '../../components/Toasts'
import { ScheduleDialogs, type ScheduleDialog } from './ScheduleDialogs'

// Schedules with their next fire (from the server's upcoming list), the last scheduled run of
// their job, and a warning when an enabled schedule has no next fire at all.

export type ScheduleRow = OpOut<'listSchedules'>['items'][number]

export function targetSummary(s: ScheduleRow, t: TFunction): string {
  if (s.rollout?.waves.length) return s.rollout.waves.map((w) => w.group).join(' → ')
  if (s.target.all) return t('schedules.targetsAll')
  if (s.target.groups.length && !s.target.pcs.length) return s.target.groups.join(', ')
  if (s.target.pcs.length && !s.target.groups.length && s.target.pcs.length <= 3) return s.target.pcs.join(', ')
  return t('schedules.targetsSummary', { groups: s.target.groups.length, pcs: s.target.pcs.length })
}

export default function SchedulesPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [dialog, setDialog] = useState<ScheduleDialog | null>(null)
  const list = useOp('listSchedules', { query: {} })
  const states = useOp('scheduleStates', undefined, { retry: false })
  const enable = useOpMutation('enableSchedule', { onSuccess: (_d, i) => toast('ok', t('schedules.enabled', { id: i.params?.id ?? '' })) })

  const stateOf = useMemo(() => new Map((states.data?.items ?? []).map((st) => [st.schedule_id, st])), [states.data])
  const rows = list.data?.items ?? []
  const toggle = (s: ScheduleRow) => {
    if (s.enabled) setDialog({ kind: 'disable', schedule: s })
    else
      enable.mutate(
        { params: { id: s.id } },
        {
          onError: (e) => {
            const f = failureText(e, t)
            toast('bad', f.title, f.message)
          },
        },
      )
  }

  return (
    <div className="page" data-testid="page-schedules">
      <PageHeader
        title={t('schedules.title')}
        subtitle={t('schedules.subtitle')}
        actions={
          <Link className="btn primary" to="/schedules/new">
            <Icon name="plus" /> {t('schedules.new')}
          </Link>
        }
      />
      <ListStatus
        query={list}
        rows={rows.length}
        empty={{ icon: 'schedules', title: t('schedules.empty'), action: <Link className="btn primary" to="/schedules/new">{t('schedules.new')}</Link>, children: t('schedules.emptyHint') }}
      />
      {rows.length ? (
        <div className="card table-x">
          <table className="simple" data-testid="schedules-table">
            <thead>
              <tr>
                <th>{t('schedules.cols.enabled')}</th>
                <th>{t('schedules.cols.id')}</th>
                <th>{t('schedules.cols.job')}</th>
                <th>{t('schedules.cols.cron')}</th>
                <th>{t('schedules.cols.mode')}</th>
                <th>{t('schedules.cols.targets')}</th>
                <th>{t('schedules.cols.next')}</th>
                <th>{t('schedules.cols.last')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => {
                const st = stateOf.get(s.id)
                return (
                  <tr key={s.id} className="clickable" onClick={() => navigate(`/schedules/${encodeURIComponent(s.id)}`)}>
                    <td onClick={(e) => e.stopPropagation()}>
                      <button className={s.enabled ? 'switch on' : 'switch'} role="switch" aria-checked={s.enabled} aria-label={s.enabled ? t('schedules.disable') : t('schedules.enable')} onClick={() => toggle(s)} />
                    </td>
                    <td>
                      <strong>{s.id}</strong>
                    </td>
                    <td>
                      <Link to={`/jobs/${encodeURIComponent(s.job_id)}`} onClick={(e) => e.stopPropagation()}>
                        {s.job_id}
                      </Link>
                    </td>
                    <td className="mono">
                      {s.cron} {s.tz && s.tz !== 'UTC' ? <span className="faint">{s.tz}</span> : null}
                    </td>
                    <td className="muted">
                      {t(`schedules.modes.${s.mode}`)}
                      {s.runs_on === 'agent' ? <Badge tone="accent">{t('schedules.agentSide')}</Badge> : null}
                    </td>
                    <td className="muted ellipsis" style={{ maxWidth: 220 }}>
                      {targetSummary(s, t)}
                    </td>
                    <td data-testid="next-fire">
                      <NextFire s={s} st={st} />
                    </td>
                    <td>
                      <LastRun st={st} />
                    </td>
                    <td className="num" onClick={(e) => e.stopPropagation()}>
                      <ActionMenu
                        items={[
                          { label: t('common.edit'), icon: 'schedules', onSelect: () => navigate(`/schedules/${encodeURIComponent(s.id)}`) },
                          { label: t('jobs.exec'), icon: 'exec', onSelect: () => navigate(`/exec?job=${encodeURIComponent(s.job_id)}`) },
                          s.enabled
                            ? { label: t('schedules.disable'), icon: 'pause', onSelect: () => setDialog({ kind: 'disable', schedule: s }) }
                            : { label: t('schedules.enable'), icon: 'play', onSelect: () => toggle(s) },
                          { label: t('common.delete'), icon: 'trash', danger: true, onSelect: () => setDialog({ kind: 'delete', schedule: s }) },
                        ]}
                      />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {dialog ? <ScheduleDialogs dialog={dialog} onClose={() => setDialog(null)} onDeleted={() => setDialog(null)} /> : null}
    </div>
  )
}
