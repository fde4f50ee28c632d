import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp, useOpMutation } from '../../api/hooks'
import { Dialog } from '../../components/Dialog'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { ProgressBar } from '../../components/Progress'
import { ExecStatus } from '../../components/Status'
import { toast } from '../../components/Toasts'
import { fmtNumber, fmtRelative } from '../../lib/format'
import { useNow } from '../../lib/useNow'
import { ExecTargets } from './ExecTargets'
import { OutputGroups } from './OutputGroups'
import { PerPcTable, type PcFilter } from './PerPcTable'

// The live progress board of one execution: N of M, the four counts, its waves and their times,
// per-PC rows, identical outputs grouped, kill, and a re-run on the PCs that failed. Push events
// keep it current.

export default function ExecutionBoardPage() {
  const { t } = useTranslation()
  const { execId = '' } = useParams()
  const navigate = useNavigate()
  const now = useNow()
  const [filter, setFilter] = useState<PcFilter>('all')
  const [confirmKill, setConfirmKill] = useState(false)
  const q = useOp('getExecution', { params: { exec_id: execId } })
  const kill = useOpMutation('killExecution', {
    onSuccess: () => {
      setConfirmKill(false)
      toast('ok', t('board.killed', { job: q.data?.execution.job_id ?? execId }))
    },
  })

  if (q.error?.code === 'not_found') {
    return (
      <div className="page">
        <Empty icon="executions" title={t('board.notFound', { id: execId })} action={<Link className="btn" to="/executions">{t('nav.executions')}</Link>}>
          {t('errors.notFoundHint')}
        </Empty>
      </div>
    )
  }
  if (q.error) return <div className="page"><ErrorNotice error={q.error} onRetry={() => q.refetch()} /></div>
  if (!q.data) return <div className="page"><Loading /></div>

  const { execution: e, progress: p, results } = q.data
  const failedPcs = results.filter((r) => r.status === 'failure').map((r) => r.pc_id)
  const active = e.status === 'pending' || e.status === 'running'
  const rerun = () => navigate(`/exec?job=${encodeURIComponent(e.job_id)}&pcs=${encodeURIComponent(failedPcs.join(','))}`)

  const stat = (key: PcFilter, label: string, value: number, tone: string) => (
    <button className={`stat ${tone} ${filter === key ? 'selected' : ''}`} onClick={() => setFilter(filter === key ? 'all' : key)} aria-pressed={filter === key} data-testid={`stat-${key}`}>
      <span className="stat-value">{fmtNumber(value)}</span>
      <span className="stat-label">{label}</span>
    </button>
  )

  return (
    <div className="page" data-testid="page-execution" data-status={e.status}>
      <PageHeader
        crumbs={
          <>
            <Link to="/executions">{t('nav.executions')}</Link>
            <Icon name="chevronRight" size={12} />
            <span className="mono">{e.exec_id}</span>
          </>
        }
        title={
          <span className="row">
            {t('board.title', { job: e.job_id, version: e.version })} <ExecStatus status={e.status} />
          </span>
        }
        subtitle={t('board.started', { when: fmtRelative(e.initiated_at, now), who: e.initiated_by })}
        actions={
          <>
            <Link className="btn" to={`/activity?exec_id=${encodeURIComponent(e.exec_id)}`}>
              <Icon name="activity" /> {t('board.viewResults')}
            </Link>
            <button className="btn" disabled={failedPcs.length === 0} onClick={rerun}>
              <Icon name="rerun" /> {failedPcs.length ? t('board.rerunFailed', { count: failedPcs.length }) : t('board.rerunFailedNone')}
            </button>
            {active ? (
              <button className="btn danger" onClick={() => setConfirmKill(true)}>
                <Icon name="stop" /> {t('board.kill')}
              </button>
            ) : null}
          </>
        }
      />
      {e.status === 'expired' ? <div className="notice warn"><Icon name="alert" /><span>{t('board.expiredHint')}</span></div> : null}
      {e.status === 'failed' ? (
        <div className="notice bad">
          <Icon name="alert" />
          <span>
            {t('board.failedHint')}
            {q.data.publish_error ? <span className="mono"> {q.data.publish_error}</span> : null}
          </span>
        </div>
      ) : null}
      <section className="card board-summary">
        <div className="card-body">
          <div className="board-headline">
            <span className="board-done" data-testid="board-done">
              {t('board.doneOf', { done: fmtNumber(p.done), total: fmtNumber(p.target_count) })}
            </span>
            {active ? (
              <span className="faint row">
                <span className="dot run" /> {t('board.liveHint')}
              </span>
            ) : null}
          </div>
          <ProgressBar large target={p.target_count} success={p.success} failure={p.failure} running={p.running} />
          <ExecTargets waves={q.data.waves} waveMode={q.data.wave_mode} scheduleId={q.data.schedule_id} now={now} />
          <div className="stats">
            {stat('success', t('board.succeeded'), p.success, 'ok')}
            {stat('failure', t('board.failed'), p.failure, 'bad')}
            {stat('running', t('board.running'), p.running, 'run')}
            {stat('not_reported', t('board.notReported'), p.not_reported, 'idle')}
          </div>
        </div>
      </section>
      <div className="board-grid">
        <PerPcTable results={results} filter={filter} onFilter={setFilter} notReported={p.not_reported} />
        <OutputGroups execId={e.exec_id} />
      </div>
      {confirmKill ? (
        <Dialog
          title={t('board.killTitle')}
          onClose={() => setConfirmKill(false)}
          footer={
            <>
              <button className="btn" onClick={() => setConfirmKill(false)}>
                {t('common.cancel')}
              </button>
              <button className="btn danger solid" disabled={kill.isPending} onClick={() => kill.mutate({ params: { exec_id: e.exec_id } })}>
                <Icon name="stop" /> {t('board.killConfirm')}
              </button>
            </>
          }
        >
          <p style={{ margin: 0 }}>{t('board.killBody')}</p>
          {kill.error ? <ErrorNotice error={kill.error} /> : null}
        </Dialog>
      ) : null}
    </div>
  )
}
