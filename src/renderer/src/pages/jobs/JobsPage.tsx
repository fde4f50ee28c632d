import { Link, useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { ListStatus } from '../../components/ListStatus'
import { Icon } from '../../components/Icon'
import { ActionMenu } from '../../components/Menu'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { useRevoke } from './useRevoke'

// The job catalog with its kill-switch state (ACTIVE / REVOKED) per manifest id.

export default function JobsPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const jobs = useOp('listJobs', { query: {} })
  const status = useOp('scriptsStatus', undefined, { retry: false })
  const revoke = useRevoke()
  const rows = jobs.data?.items ?? []
  return (
    <div className="page" data-testid="page-jobs">
      <PageHeader
        title={t('jobs.title')}
        subtitle={t('jobs.subtitle')}
        actions={
          <Link className="btn primary" to="/jobs/new">
            <Icon name="plus" /> {t('jobs.new')}
          </Link>
        }
      />
      <ListStatus
        query={jobs}
        rows={rows.length}
        empty={{ icon: 'jobs', title: t('jobs.empty'), action: <Link className="btn primary" to="/jobs/new">{t('jobs.new')}</Link>, children: t('jobs.emptyHint') }}
      />
      {rows.length ? (
        <div className="card">
          <table className="simple" data-testid="jobs-table">
            <thead>
              <tr>
                <th>{t('jobs.cols.id')}</th>
                <th>{t('jobs.cols.version')}</th>
                <th>{t('jobs.cols.description')}</th>
                <th>{t('jobs.cols.shell')}</th>
                <th>{t('jobs.cols.runAs')}</th>
                <th>{t('jobs.cols.status')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((j) => {
                const revoked = status.data?.[j.id] === 'REVOKED'
                return (
                  <tr key={j.id} className="clickable" onClick={() => navigate(`/jobs/${encodeURIComponent(j.id)}`)}>
                    <td>
                      <strong>{j.id}</strong> {j.inventory ? <Badge tone="accent">{t('jobs.inventoryYes')}</Badge> : null}
                    </td>
                    <td className="mono">{j.version}</td>
                    <td className="wrap muted">{j.description ?? ''}</td>
                    <td>{j.execute.shell}</td>
                    <td className="muted">{j.execute.run_as}</td>
                    <td>{status.data ? <Badge tone={revoked ? 'bad' : 'ok'}>{revoked ? t('status.revoked') : t('status.active')}</Badge> : null}</td>
                    <td className="num" onClick={(e) => e.stopPropagation()}>
                      <Link className="btn small" to={`/exec?job=${encodeURIComponent(j.id)}`}>
                        <Icon name="exec" /> {t('jobs.exec')}
                      </Link>{' '}
                      <ActionMenu
                        items={[
                          { label: t('common.edit'), icon: 'jobs', onSelect: () => navigate(`/jobs/${encodeURIComponent(j.id)}`) },
                          { label: t('nav.activity'), icon: 'activity', onSelect: () => navigate(`/activity?job_id=${encodeURIComponent(j.id)}`) },
                          revoked
                            ? { label: t('jobs.unrevoke'), icon: 'play', onSelect: () => revoke.set(j.id, false) }
                            : { label: t('jobs.revoke'), icon: 'stop', danger: true, onSelect: () => revoke.set(j.id, true) },
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
      <p className="faint" style={{ margin: 0 }}>{t('jobs.revokeHint')}</p>
    </div>
  )
}
