import { useMemo } from 'react'
import { Link, useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import type { OpOut } from '../../api/types'
import { Empty } from '../../components/Empty'
import { ResultStatus } from '../../components/Status'
import { RelTime } from '../../components/Time'
import { VirtualTable, type Column } from '../../components/VirtualTable'
import { durationBetween, fmtDuration, fmtNumber } from '../../lib/format'

// Per-PC rows of an execution, filtered by the stat the admin clicked.

export type PcFilter = 'all' | 'success' | 'failure' | 'running' | 'not_reported'
type Row = OpOut<'getExecution'>['results'][number]

export function PerPcTable({ results, filter, onFilter, notReported }: { results: Row[]; filter: PcFilter; onFilter: (f: PcFilter) => void; notReported: number }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const rows = useMemo(() => (filter === 'all' || filter === 'not_reported' ? results : results.filter((r) => r.status === filter)), [results, filter])
  const columns = useMemo<Column<Row>[]>(
    () => [
      { id: 'status', header: t('activity.cols.status'), width: '112px', cell: (r) => <ResultStatus status={r.status} /> },
      { id: 'pc', header: t('activity.cols.pc'), width: 'minmax(120px, 1fr)', cell: (r) => <Link to={`/agents/${encodeURIComponent(r.pc_id)}`} onClick={(e) => e.stopPropagation()}>{r.pc_id}</Link> },
      { id: 'exit', header: t('activity.cols.exit'), width: '60px', align: 'right', cell: (r) => <span className="mono">{r.exit_code ?? '—'}</span> },
      { id: 'duration', header: t('activity.cols.duration'), width: '90px', align: 'right', cell: (r) => <span className="muted">{fmtDuration(durationBetween(r.started_at, r.finished_at))}</span> },
      { id: 'recorded', header: t('activity.cols.recorded'), width: '110px', cell: (r) => <RelTime ts={r.recorded_at} className="muted" /> },
    ],
    [t],
  )
  const filters = ['all', 'success', 'failure', 'running'] as const
  return (
    <section className="card board-pcs" data-testid="board-pcs">
      <div className="card-head">
        <h2>{t('board.perPc')}</h2>
        <div className="actions">
          <div className="segmented" role="group" aria-label={t('board.perPc')}>
            {filters.map((f) => (
              <button key={f} aria-pressed={filter === f} onClick={() => onFilter(f)}>
                {f === 'all' ? t('common.all') : t(`status.${f}`)}
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className="board-table">
        {filter === 'not_reported' ? (
          <Empty compact icon="schedules" title={`${t('board.notReported')}: ${fmtNumber(notReported)}`}>{t('board.noResults')}</Empty>
        ) : (
          <VirtualTable
            label={t('board.perPc')}
            className="fill flat"
            rows={rows}
            columns={columns}
            rowKey={(r) => r.result_id}
            onRowClick={(r) => navigate(`/activity/${encodeURIComponent(r.result_id)}`)}
            empty={<Empty compact icon="executions" title={t('board.noResults')} />}
          />
        )}
      </div>
    </section>
  )
}
