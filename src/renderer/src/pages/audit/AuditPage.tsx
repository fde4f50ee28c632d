import { useCallback, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useOpPages } from '../../api/hooks'
import type { OpOut } from '../../api/types'
import { CsvButton } from '../../components/CsvButton'
import { Dialog } from '../../components/Dialog'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { AbsTime, RelTime } from '../../components/Time'
import { TimeRangePicker } from '../../components/TimeRangePicker'
import { VirtualTable, type Column } from '../../components/VirtualTable'
import { fmtNumber } from '../../lib/format'
import { useTimeRange } from '../../lib/timeRange'
import { useDebouncedText, useSearchState } from '../../lib/useSearchState'

// Who changed what: filterable by actor, action, target and time; CSV of the filtered log.

type Row = OpOut<'listAudit'>['items'][number]
const KEYS = ['actor', 'action', 'target', 'range', 'since', 'until'] as const
/** Actions written by kanade and this console (CONVENTIONS.md "Audit actions"). */
export const AUDIT_ACTIONS = [
  'exec', 'run', 'kill', 'job_upsert', 'job_delete', 'schedule_upsert', 'schedule_delete', 'schedule_disable', 'schedule_enable',
  'schedule_completed', 'schedule_misfire', 'revoke', 'unrevoke', 'config_put', 'config_delete', 'groups_put', 'agent_publish',
  'agent_release_delete', 'agent_rollout',
] as const

function actionTone(a: string): 'bad' | 'warn' | 'accent' | 'idle' {
  if (a === 'kill' || a === 'revoke' || a.endsWith('_delete')) return 'bad'
  if (a.includes('disable') || a === 'schedule_misfire') return 'warn'
  if (a === 'exec' || a === 'run') return 'accent'
  return 'idle'
}

export default function AuditPage() {
  const { t } = useTranslation()
  const { values, set, clear } = useSearchState(KEYS)
  const [actor, setActor] = useDebouncedText(values.actor, (v) => set({ actor: v }))
  const [target, setTarget] = useDebouncedText(values.target, (v) => set({ target: v }))
  const [open, setOpen] = useState<Row | null>(null)
  const bounds = useTimeRange(values.range, values.since, values.until)
  const query = { actor: values.actor || undefined, action: values.action || undefined, target: values.target || undefined, since: bounds.since, until: bounds.until }
  const audit = useOpPages('listAudit', { query }, 200)
  const filtered = Object.values(values).some(Boolean)
  const onEnd = useCallback(() => {
    if (audit.hasNextPage && !audit.isFetchingNextPage) void audit.fetchNextPage()
  }, [audit])
  const columns = useMemo<Column<Row>[]>(
    () => [
      { id: 'at', header: t('audit.cols.at'), width: '150px', cell: (r) => <RelTime ts={r.occurred_at} /> },
      { id: 'actor', header: t('audit.cols.actor'), width: '140px', cell: (r) => r.actor },
      { id: 'action', header: t('audit.cols.action'), width: '170px', cell: (r) => <Badge tone={actionTone(r.action)}>{r.action}</Badge> },
      { id: 'target', header: t('audit.cols.target'), width: 'minmax(140px, 1fr)', cell: (r) => <span className="mono">{r.target ?? '—'}</span> },
      { id: 'payload', header: t('audit.cols.payload'), width: 'minmax(200px, 2fr)', cell: (r) => <span className="mono muted">{r.payload === null || r.payload === undefined ? '' : JSON.stringify(r.payload)}</span> },
    ],
    [t],
  )
  const reset = () => {
    setActor('')
    setTarget('')
    clear()
  }
  return (
    <div className="page list-page" data-testid="page-audit">
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} actions={<CsvButton op="listAudit" input={{ query }} filename="audit" />} />
      <div className="filters" role="search">
        <input className="input" style={{ width: 140 }} placeholder={t('audit.actor')} aria-label={t('audit.actor')} value={actor} onChange={(e) => setActor(e.target.value)} />
        <select className="select" aria-label={t('audit.action')} value={values.action} onChange={(e) => set({ action: e.target.value })}>
          <option value="">{t('audit.anyAction')}</option>
          {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
        <input className="input" style={{ width: 160 }} placeholder={t('audit.target')} aria-label={t('audit.target')} value={target} onChange={(e) => setTarget(e.target.value)} />
        <TimeRangePicker range={values.range} since={values.since} until={values.until} onChange={set} />
        {filtered ? <button className="btn ghost small" onClick={reset}><Icon name="close" /> {t('common.clearFilters')}</button> : null}
        <span className="count-summary">{audit.data ? t('common.showingOf', { shown: fmtNumber(audit.items.length), total: fmtNumber(audit.total) }) : null}</span>
      </div>
      {audit.error ? <ErrorNotice error={audit.error} onRetry={() => audit.refetch()} /> : null}
      {audit.isPending ? <Loading /> : (
        <VirtualTable
          label={t('audit.title')}
          testId="audit-table"
          rows={audit.items}
          columns={columns}
          rowKey={(r) => String(r.id)}
          onRowClick={setOpen}
          onEndReached={onEnd}
          totalCount={audit.total}
          empty={filtered ? <Empty icon="filter" title={t('audit.noMatch')} /> : <Empty icon="audit" title={t('audit.empty')}>{t('audit.emptyHint')}</Empty>}
        />
      )}
      {open ? (
        <Dialog wide title={t('audit.entry', { id: open.id })} onClose={() => setOpen(null)}>
          <dl className="kv">
            <dt>{t('audit.cols.at')}</dt><dd><AbsTime ts={open.occurred_at} seconds /></dd>
            <dt>{t('audit.cols.actor')}</dt><dd>{open.actor}</dd>
            <dt>{t('audit.cols.action')}</dt><dd>{open.action}</dd>
            <dt>{t('audit.cols.target')}</dt><dd className="mono">{open.target ?? '—'}</dd>
            <dt>{t('audit.seq')}</dt><dd className="mono">{open.stream_seq ?? '—'}</dd>
          </dl>
          <pre className="json-block">{JSON.stringify(open.payload, null, 2)}</pre>
        </Dialog>
      ) : null}
    </div>
  )
}
