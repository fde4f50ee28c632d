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
import { ResultStatus } from '../../components/Status'
import { RelTime } from '../../components/Time'
import { TimeRangePicker } from '../../components/TimeRangePicker'
import { nextSort, parseSort, sortParam, VirtualTable, type Column, type SortState } from '../../components/VirtualTable'
import { durationBetween, fmtDuration, fmtNumber } from '../../lib/format'
import { useTimeRange } from '../../lib/timeRange'
import { useDebouncedText, useSearchState } from '../../lib/useSearchState'
import { firstLine } from '../dashboard/DashboardLists'

// Every result, newest first, live as results arrive (push events refresh the loaded pages).

type Row = OpOut<'listResults'>['items'][number]
const KEYS = ['pc_id', 'job_id', 'exec_id', 'status', 'q', 'range', 'since', 'until', 'sort'] as const
const DEFAULT_SORT: SortState = { key: 'recorded_at', desc: true }

export default function ActivityPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { values, set, clear } = useSearchState(KEYS)
  const [pc, setPc] = useDebouncedText(values.pc_id, (v) => set({ pc_id: v }))
  const [text, setText] = useDebouncedText(values.q, (v) => set({ q: v }))
  const bounds = useTimeRange(values.range, values.since, values.until)
  const sort = parseSort(values.sort, DEFAULT_SORT)
  const jobs = useOp('listJobs', { query: {} }, { retry: false, staleTime: 60_000 })

  const query = {
    pc_id: values.pc_id || undefined,
    job_id: values.job_id || undefined,
    exec_id: values.exec_id || undefined,
    status: (values.status || undefined) as 'success' | 'failure' | 'running' | undefined,
    q: values.q || undefined,
    since: bounds.since,
    until: bounds.until,
    sort: sortParam(sort) as never,
  }
  const results = useOpPages('listResults', { query }, 200)
  const filtered = Object.values(values).some((v, i) => v !== '' && KEYS[i] !== 'sort')
  const onSort = useCallback((key: string) => set({ sort: sortParam(nextSort(sort, key, true)) }), [set, sort])
  const onEnd = useCallback(() => {
    if (results.hasNextPage && !results.isFetchingNextPage) void results.fetchNextPage()
  }, [results])

  const columns = useMemo<Column<Row>[]>(
    () => [
      { id: 'status', header: t('activity.cols.status'), width: '112px', cell: (r) => <ResultStatus status={r.status} /> },
      { id: 'pc', header: t('activity.cols.pc'), width: 'minmax(130px, 1fr)', sort: 'pc_id', cell: (r) => r.pc_id },
      {
        id: 'job',
        header: t('activity.cols.job'),
        width: 'minmax(130px, 1fr)',
        cell: (r) => (r.job_id ? <span>{r.job_id} <span className="faint">{r.version ?? ''}</span></span> : <span className="faint">{t('result.adhoc')}</span>),
      },
      { id: 'exit', header: t('activity.cols.exit'), width: '64px', align: 'right', sort: 'exit_code', cell: (r) => <span className="mono">{r.exit_code ?? '—'}</span> },
      { id: 'output', header: t('activity.cols.output'), width: 'minmax(180px, 2.2fr)', cell: (r) => <span className="mono muted">{firstLine(r.stdout || r.stderr)}</span> },
      { id: 'started', header: t('activity.cols.started'), width: '120px', sort: 'started_at', cell: (r) => <RelTime ts={r.started_at} /> },
      { id: 'duration', header: t('activity.cols.duration'), width: '96px', align: 'right', cell: (r) => <span className="muted">{fmtDuration(durationBetween(r.started_at, r.finished_at))}</span> },
      { id: 'recorded', header: t('activity.cols.recorded'), width: '120px', sort: 'recorded_at', cell: (r) => <RelTime ts={r.recorded_at} className="muted" /> },
    ],
    [t],
  )

  const reset = () => {
    setPc('')
    setText('')
    clear()
  }
  return (
    <div className="page list-page" data-testid="page-activity">
      <PageHeader
        title={t('activity.title')}
        subtitle={t('activity.subtitle')}
        actions={<CsvButton op="listResults" input={{ query }} filename="results" />}
      />
      <div className="filters" role="search">
        <input className="input" style={{ width: 150 }} placeholder={t('activity.pc')} aria-label={t('activity.pc')} value={pc} onChange={(e) => setPc(e.target.value)} />
        <select className="select" aria-label={t('activity.job')} value={values.job_id} onChange={(e) => set({ job_id: e.target.value })}>
          <option value="">{t('activity.job')}: {t('common.all')}</option>
          {values.job_id && !jobs.data?.items.some((j) => j.id === values.job_id) ? <option value={values.job_id}>{values.job_id}</option> : null}
          {(jobs.data?.items ?? []).map((j) => (
            <option key={j.id} value={j.id}>
              {j.id}
            </option>
          ))}
        </select>
        <select className="select" aria-label={t('activity.status')} value={values.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">{t('activity.anyStatus')}</option>
          <option value="success">{t('status.success')}</option>
          <option value="failure">{t('status.failure')}</option>
          <option value="running">{t('status.running')}</option>
        </select>
        <TimeRangePicker range={values.range} since={values.since} until={values.until} onChange={set} />
        <div className="search-box">
          <Icon name="search" />
          <input className="input" type="search" placeholder={t('activity.text')} aria-label={t('activity.text')} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        {values.exec_id ? (
          <span className="chip">
            {t('activity.exec')}: <Link to={`/executions/${encodeURIComponent(values.exec_id)}`} className="mono">{values.exec_id.slice(0, 8)}</Link>
            <button aria-label={t('common.remove')} onClick={() => set({ exec_id: null })}>
              <Icon name="close" size={11} />
            </button>
          </span>
        ) : null}
        {filtered ? (
          <button className="btn ghost small" onClick={reset}>
            <Icon name="close" /> {t('common.clearFilters')}
          </button>
        ) : null}
        <span className="count-summary">{results.data ? t('common.showingOf', { shown: fmtNumber(results.items.length), total: fmtNumber(results.total) }) : null}</span>
      </div>
      {results.error ? <ErrorNotice error={results.error} onRetry={() => results.refetch()} /> : null}
      {results.isPending ? (
        <Loading label={t('common.loading')} />
      ) : (
        <VirtualTable
          label={t('activity.title')}
          testId="results-table"
          rows={results.items}
          columns={columns}
          rowKey={(r) => r.result_id}
          sort={sort}
          onSort={onSort}
          onRowClick={(r) => navigate(`/activity/${encodeURIComponent(r.result_id)}`)}
          onEndReached={onEnd}
          totalCount={results.total}
          empty={
            <FilterableEmpty
              filtered={filtered}
              onClear={reset}
              noMatch={t('activity.noMatch')}
              icon="activity"
              title={t('activity.empty')}
              hint={t('activity.emptyHint')}
              action={<Link className="btn primary" to="/exec">{t('nav.exec')}</Link>}
            />
          }
          footer={results.isFetchingNextPage ? <span className="row"><span className="spinner" /> {t('common.loading')}</span> : undefined}
        />
      )}
    </div>
  )
}
