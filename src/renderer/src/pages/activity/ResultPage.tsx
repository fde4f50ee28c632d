import { Link, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { OutputViewer } from '../../components/OutputViewer'
import { PageHeader } from '../../components/PageHeader'
import { ResultStatus } from '../../components/Status'
import { AbsTime } from '../../components/Time'
import { durationBetween, fmtDuration } from '../../lib/format'

// One run on one PC: exit code (and what it means for kanade), timing, and the full output.

export function exitMeaningKey(code: number | null): '0' | '-1' | '125' | '127' | 'other' | null {
  if (code === null) return null
  if (code === 0 || code === -1 || code === 125 || code === 127) return String(code) as '0' | '-1' | '125' | '127'
  return 'other'
}

export default function ResultPage() {
  const { t } = useTranslation()
  const { resultId = '' } = useParams()
  const q = useOp('getResult', { params: { result_id: resultId } })
  const r = q.data

  if (q.error?.code === 'not_found') {
    return (
      <div className="page">
        <Empty icon="activity" title={t('errors.notFound')} action={<Link className="btn" to="/activity">{t('nav.activity')}</Link>}>
          {t('errors.notFoundHint')}
        </Empty>
      </div>
    )
  }
  if (q.error) return <div className="page"><ErrorNotice error={q.error} onRetry={() => q.refetch()} /></div>
  if (!r) return <div className="page"><Loading /></div>

  const meaning = exitMeaningKey(r.exit_code)
  const job = r.job_id ?? t('result.adhoc')
  const again = r.job_id ? `/exec?job=${encodeURIComponent(r.job_id)}&pcs=${encodeURIComponent(r.pc_id)}` : `/run?pc=${encodeURIComponent(r.pc_id)}`
  return (
    <div className="page" data-testid="page-result">
      <PageHeader
        crumbs={
          <>
            <Link to="/activity">{t('nav.activity')}</Link>
            <Icon name="chevronRight" size={12} />
          </>
        }
        title={
          <span className="row">
            {t('result.title', { job, pc: r.pc_id })} <ResultStatus status={r.status} exitCode={r.exit_code} />
          </span>
        }
        actions={
          <Link className="btn" to={again}>
            <Icon name="rerun" /> {t('result.runAgain')}
          </Link>
        }
      />
      <section className="card">
        <div className="card-body result-meta">
          <dl className="kv">
            <dt>{t('result.exitCode')}</dt>
            <dd>
              <span className="mono" data-testid="exit-code">{r.exit_code ?? '—'}</span>
              {meaning ? <span className="muted"> · {t(`result.exitMeaning.${meaning}`)}</span> : null}
            </dd>
            <dt>{t('activity.cols.pc')}</dt>
            <dd>
              <Link to={`/agents/${encodeURIComponent(r.pc_id)}`}>{r.pc_id}</Link>
            </dd>
            <dt>{t('activity.cols.job')}</dt>
            <dd>
              {r.job_id ? <Link to={`/jobs/${encodeURIComponent(r.job_id)}`}>{r.job_id}</Link> : job}
              {r.version ? <span className="faint"> · {t('result.version')} {r.version}</span> : null}
            </dd>
            <dt>{t('result.exec')}</dt>
            <dd className="mono">{r.exec_id ? <Link to={`/executions/${encodeURIComponent(r.exec_id)}`}>{r.exec_id}</Link> : '—'}</dd>
          </dl>
          <dl className="kv">
            <dt>{t('result.started')}</dt>
            <dd><AbsTime ts={r.started_at} seconds /></dd>
            <dt>{t('result.finished')}</dt>
            <dd><AbsTime ts={r.finished_at} seconds /></dd>
            <dt>{t('result.duration')}</dt>
            <dd>{fmtDuration(durationBetween(r.started_at, r.finished_at))}</dd>
            <dt>{t('result.recorded')}</dt>
            <dd><AbsTime ts={r.recorded_at} seconds /></dd>
          </dl>
          <dl className="kv">
            <dt>{t('result.request')}</dt>
            <dd className="mono">{r.request_id}</dd>
            <dt>{t('result.resultId')}</dt>
            <dd className="mono">{r.result_id}</dd>
          </dl>
        </div>
      </section>
      {r.status === 'running' ? (
        <div className="notice info" role="status">
          <span className="spinner" />
          <span>{t('result.stillRunning')}</span>
        </div>
      ) : null}
      <OutputViewer text={r.stdout} label={t('result.stdout')} testId="stdout" />
      {r.stderr || r.status === 'failure' ? <OutputViewer text={r.stderr} label={t('result.stderr')} testId="stderr" /> : null}
    </div>
  )
}
