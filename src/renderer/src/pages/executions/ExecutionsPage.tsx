import { useCallback, useMemo } from 'react'
import { Link, useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp, useOpPages } from '../../api/hooks'
import type { OpOut } from '../../api/types'
import { CsvButton } from '../../components/CsvButton'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FilterableEmpty } from '../../components/ListStatus'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { ProgressCell } from '../../components/Progress'
import { ExecStatus } from '../../components/Status'
import { RelTime } from '../../components/Time'
import { nextSort, parseSort, sortParam, VirtualTable, type Column, type SortState } from '../../components/VirtualTable'
import { fmtNumber } from '../../lib/format'
import { useSearchState } from '../../lib/useSearchState'

type Row = OpOut<'listExecutions'>['items'][number]
const KEYS = ['job_id', 'status', 'sort'] as const
const STATUSES = ['pending', 'running', 'completed', 'expired', 'failed'] as const
const DEFAULT_SORT: SortState = { key: 'initiated_at', desc: true }

export default function ExecutionsPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { values, set, clear } = useSearchState(KEYS)
  const sort = parseSort(values.sort, DEFAULT_SORT)
  const jobs = useOp('listJobs', { query: {} }, { retry: false, staleTime: 60_000 })
  const query = { job_id: values.job_id || undefined, status: (values.status || undefined) as (typeof STATUSES)[number] | undefined, sort: sortParam(sort) as never }
  const execs = useOpPages('listExecutions', { query }, 200)
  const filtered = !!(values.job_id || values.status)
  const onSort = useCallback((key: string) => set({ sort: sortParam(nextSort(sort, key, key === 'initiated_at')) }), [set, sort])
  const onEnd = useCallback(() => {
    if (execs.hasNextPage && !execs.isFetchingNextPage) void execs.fetchNextPage()
  }, [execs])

  const columns = useMemo<Column<Row>[]>(
    () => [
      { id: 'status', header: t('executions.cols.status'), width: '112px', sort: 'status', cell: (r) => <ExecStatus status={r.status} /> },
      { id: 'job', header: t('executions.cols.job'), width: 'minmax(140px, 1.3fr)', sort: 'job_id', cell: (r) => <strong>{r.job_id}</strong> },
      { id: 'version', header: t('executions.cols.version'), width: '90px', cell: (r) => <span className="mono muted">{r.version}</span> },
      { id: 'progress', header: t('executions.cols.progress'), width: 'minmax(200px, 2fr)', cell: (r) => <ProgressCell target={r.target_count} success={r.success_count} failure={r.failure_count} /> },
      { id: 'ok', header: t('executions.cols.ok'), width: '70px', align: 'right', cell: (r) => <span className="ok-text">{fmtNumber(r.success_count)}</span> },
      { id: 'failed', header: t('executions.cols.failed'), width: '70px', align: 'right', cell: (r) => <span className={r.failure_count ? 'bad-text' : 'faint'}>{fmtNumber(r.failure_count)}</span> },
      { id: 'by', header: t('executions.cols.by'), width: '110px', cell: (r) => <span className="muted">{r.initiated_by}</span> },
      { id: 'at', header: t('executions.cols.at'), width: '120px', sort: 'initiated_at', cell: (r) => <RelTime ts={r.initiated_at} /> },
    ],
    [t],
  )

  return (
    <div className="page list-page" data-testid="page-executions">
      <PageHeader
        title={t('executions.title')}
        subtitle={t('executions.subtitle')}
        actions={
          <>
            <CsvButton op="listExecutions" input={{ query }} filename="executions" />
            <Link className="btn primary" to="/exec">
              <Icon name="exec" /> {t('nav.exec')}
            </Link>
          </>
        }
      />
      <div className="filters">
        <select className="select" aria-label={t('executions.job')} value={values.job_id} onChange={(e) => set({ job_id: e.target.value })}>
          <option value="">{t('executions.job')}: {t('common.all')}</option>
          {values.job_id && !jobs.data?.items.some((j) => j.id === values.job_id) ? <option value={values.job_id}>{values.job_id}</option> : null}
          {(jobs.data?.items ?? []).map((j) => (
            <option key={j.id} value={j.id}>
              {j.id}
            </option>
          ))}
        </select>
        <div className="segmented" role="group" aria-label={t('executions.status')}>
          {(['', ...STATUSES] as const).map((s) => (
            <button key={s || 'all'} aria-pressed={values.status === s} onClick={() => set({ status: s })}>
              {s ? t(`status.${s}`) : t('common.all')}
            </button>
          ))}
        </div>
        {filtered ? (
          <button className="btn ghost small" onClick={clear}>
            <Icon name="close" /> {t('common.clearFilters')}
          </button>
        ) : null}
        <span className="count-summary">{execs.data ? t('common.showingOf', { shown: fmtNumber(execs.items.length), total: fmtNumber(execs.total) }) : null}</span>
      </div>
      {execs.error ? <ErrorNotice error={execs.error} onRetry={() => execs.refetch()} /> : null}
      {execs.isPending ? (
        <Loading />
      ) : (
        <VirtualTable
          label={t('executions.title')}
          testId="executions-table"
          rows={execs.items}
          columns={columns}
          rowKey={(r) => r.exec_id}
          sort={sort}
          onSort={onSort}
          onRowClick={(r) => navigate(`/executions/${encodeURIComponent(r.exec_id)}`)}
          onEndReached={onEnd}
          totalCount={execs.total}
          rowHeight={36}
          empty={
            <FilterableEmpty
              filtered={filtered}
              onClear={clear}
              noMatch={t('executions.noMatch')}
              icon="executions"
              title={t('executions.empty')}
              hint={t('executions.emptyHint')}
              action={<Link className="btn primary" to="/exec">{t('nav.exec')}</Link>}
            />
          }
        />
      )}
    </div>
  )
}
