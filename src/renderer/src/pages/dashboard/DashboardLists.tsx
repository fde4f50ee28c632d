import { Link, useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import type { UseQueryResult } from '@tanstack/react-query'
import { useOp } from '../../api/hooks'
import type { ApiFailure } from '../../api/failure'
import type { OpOut } from '../../api/types'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { ProgressCell } from '../../components/Progress'
import { ResultStatus } from '../../components/Status'
import { RelTime } from '../../components/Time'
import { durationBetween, fmtDateTime, fmtDuration, fmtTime, toMs } from '../../lib/format'

// The dashboard's small lists: running executions, upcoming schedule fires, latest results.

function Card({ title, to, children, className, testId }: { title: string; to?: string; children: React.ReactNode; className?: string; testId?: string }) {
  const { t } = useTranslation()
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      <div className="card-head">
        <h2>{title}</h2>
        {to ? (
          <div className="actions">
            <Link to={to} className="btn ghost small">
              {t('common.viewAll')}
            </Link>
          </div>
        ) : null}
      </div>
      <div className="card-body flush">{children}</div>
    </section>
  )
}

export function RunningExecutions({ query }: { query: UseQueryResult<OpOut<'listExecutions'>, ApiFailure> }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const rows = query.data?.items ?? []
  return (
    <Card title={t('dashboard.runningExecs')} to="/executions?status=running" className="dash-running" testId="dash-running">
      {query.error ? <ErrorNotice error={query.error} /> : null}
      {query.isPending ? <Loading /> : null}
      {query.data && rows.length === 0 ? <Empty compact icon="executions" title={t('dashboard.runningEmpty')} /> : null}
      {rows.length ? (
        <table className="simple">
          <tbody>
            {rows.map((e) => (
              <tr key={e.exec_id} className="clickable" onClick={() => navigate(`/executions/${encodeURIComponent(e.exec_id)}`)}>
                <td style={{ width: '34%' }}>
                  <Link to={`/executions/${encodeURIComponent(e.exec_id)}`} onClick={(ev) => ev.stopPropagation()}>
                    {e.job_id}
                  </Link>{' '}
                  <span className="faint">{e.version}</span>
                </td>
                <td>
                  <ProgressCell target={e.target_count} success={e.success_count} failure={e.failure_count} />
                </td>
                <td className="muted" style={{ width: 90 }}>
                  <RelTime ts={e.initiated_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  )
}

export function UpcomingSchedules() {
  const { t } = useTranslation()
  const q = useOp('upcomingSchedules', { query: { limit: 6 } }, { retry: false })
  const rows = q.data?.items ?? []
  return (
    <Card title={t('dashboard.upcoming')} to="/schedules" className="dash-upcoming" testId="dash-upcoming">
      {q.error ? <ErrorNotice error={q.error} /> : null}
      {q.isPending ? <Loading /> : null}
      {q.data && rows.length === 0 ? <Empty compact icon="schedules" title={t('dashboard.upcomingEmpty')} /> : null}
      {rows.length ? (
        <table className="simple">
          <tbody>
            {rows.map((f) => (
              <tr key={`${f.schedule_id}-${f.fire_at}`}>
                <td>
                  <Link to={`/schedules/${encodeURIComponent(f.schedule_id)}`}>{f.schedule_id}</Link>
                </td>
                <td className="muted ellipsis">{f.job_id}</td>
                <td className="num nowrap" title={fmtDateTime(f.fire_at, { seconds: true })}>
                  <RelTime ts={f.fire_at} /> <span className="faint">· {fmtTime(toMs(f.fire_at) ?? 0)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  )
}

export function RecentResults() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const q = useOp('listResults', { query: { limit: 10 } })
  const rows = q.data?.items ?? []
  return (
    <Card title={t('dashboard.recent')} to="/activity" className="dash-recent" testId="dash-recent">
      {q.error ? <ErrorNotice error={q.error} /> : null}
      {q.isPending ? <Loading /> : null}
      {q.data && rows.length === 0 ? <Empty compact icon="activity" title={t('dashboard.recentEmpty')} /> : null}
      {rows.length ? (
        <table className="simple">
          <thead>
            <tr>
              <th>{t('activity.cols.status')}</th>
              <th>{t('activity.cols.pc')}</th>
              <th>{t('activity.cols.job')}</th>
              <th>{t('activity.cols.output')}</th>
              <th className="num">{t('activity.cols.duration')}</th>
              <th className="num">{t('activity.cols.recorded')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.result_id} className="clickable" onClick={() => navigate(`/activity/${encodeURIComponent(r.result_id)}`)}>
                <td>
                  <ResultStatus status={r.status} exitCode={r.exit_code} />
                </td>
                <td>{r.pc_id}</td>
                <td>{r.job_id ?? <span className="faint">{t('result.adhoc')}</span>}</td>
                <td className="mono muted ellipsis" style={{ maxWidth: 360 }}>
                  {firstLine(r.stdout || r.stderr)}
                </td>
                <td className="num muted">{fmtDuration(durationBetween(r.started_at, r.finished_at))}</td>
                <td className="num muted">
                  <RelTime ts={r.recorded_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  )
}

export function firstLine(text: string): string {
  const s = text.trimStart()
  const i = s.indexOf('\n')
  return (i < 0 ? s : s.slice(0, i)).slice(0, 200)
}
