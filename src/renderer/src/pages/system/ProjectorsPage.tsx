import { useCallback, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useOp, useOpPages } from '../../api/hooks'
import { useLive } from '../../api/live'
import type { OpOut } from '../../api/types'
import { Dialog } from '../../components/Dialog'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { fmtBytes } from '../../components/Facts'
import { OutputViewer } from '../../components/OutputViewer'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { AbsTime, RelTime } from '../../components/Time'
import { VirtualTable, type Column } from '../../components/VirtualTable'
import { fmtNumber } from '../../lib/format'
import { useSearchState } from '../../lib/useSearchState'

// Projector status (live from `projector.status` events) and the dead letters they left.

type Dead = OpOut<'listDeadLetters'>['items'][number]

function stateTone(s: string): 'ok' | 'warn' | 'bad' | 'idle' {
  return s === 'running' ? 'ok' : s === 'failed' ? 'bad' : s === 'restarting' || s === 'starting' ? 'warn' : 'idle'
}

export default function ProjectorsPage() {
  const { t } = useTranslation()
  const live = useLive()
  const { values, set } = useSearchState(['projector'] as const)
  const [open, setOpen] = useState<Dead | null>(null)
  const projectors = useOp('listProjectors', undefined)
  const dead = useOpPages('listDeadLetters', { query: { projector: values.projector || undefined } }, 200)
  const onEnd = useCallback(() => {
    if (dead.hasNextPage && !dead.isFetchingNextPage) void dead.fetchNextPage()
  }, [dead])
  // A pushed status is newer than the fetched one: overlay it by name.
  const rows = useMemo(() => {
    const pushed = new Map((live.projectors ?? []).map((p) => [p.name, p]))
    return (projectors.data?.items ?? []).map((p) => ({ ...p, ...(pushed.get(p.name) ?? {}) }))
  }, [projectors.data, live.projectors])

  const columns = useMemo<Column<Dead>[]>(
    () => [
      { id: 'at', header: t('projectors.deadCols.at'), width: '130px', cell: (r) => <RelTime ts={r.created_at} /> },
      { id: 'projector', header: t('projectors.deadCols.projector'), width: '120px', cell: (r) => r.projector },
      { id: 'subject', header: t('projectors.deadCols.subject'), width: 'minmax(160px, 1fr)', cell: (r) => <span className="mono">{r.subject}</span> },
      { id: 'seq', header: t('projectors.deadCols.seq'), width: '80px', align: 'right', cell: (r) => <span className="mono">{r.stream_seq ?? '—'}</span> },
      { id: 'error', header: t('projectors.deadCols.error'), width: 'minmax(200px, 2fr)', cell: (r) => <span className="bad-text">{r.error}</span> },
      { id: 'tries', header: t('projectors.deadCols.deliveries'), width: '60px', align: 'right', cell: (r) => r.deliveries },
    ],
    [t],
  )

  return (
    <div className="page" data-testid="page-projectors">
      <PageHeader title={t('projectors.title')} subtitle={t('projectors.subtitle')} />
      {projectors.error ? <ErrorNotice error={projectors.error} onRetry={() => projectors.refetch()} /> : null}
      <section className="card table-x">
        {projectors.isPending ? <Loading /> : null}
        {projectors.data && rows.length === 0 ? <Empty compact icon="projectors" title={t('projectors.empty')} /> : null}
        {rows.length ? (
          <table className="simple" data-testid="projectors-table">
            <thead>
              <tr>
                <th>{t('projectors.cols.name')}</th>
                <th>{t('projectors.cols.state')}</th>
                <th>{t('projectors.cols.stream')}</th>
                <th className="num">{t('projectors.cols.seq')}</th>
                <th className="num">{t('projectors.cols.pending')}</th>
                <th className="num">{t('projectors.cols.rate')}</th>
                <th className="num">{t('projectors.cols.dead')}</th>
                <th>{t('projectors.cols.error')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.name}>
                  <td>
                    <strong>{p.name}</strong> <span className="faint mono">{p.consumer ?? ''}</span>
                  </td>
                  <td><Badge tone={stateTone(p.state)} dot={p.state === 'running'}>{p.state}</Badge></td>
                  <td className="mono muted">{p.stream ?? '—'}</td>
                  <td className="num mono">{fmtNumber(p.last_seq)}</td>
                  <td className="num">{p.pending === null ? '—' : fmtNumber(p.pending)}</td>
                  <td className="num muted">{p.rate === null ? '—' : t('projectors.rate', { n: fmtNumber(Math.round(p.rate * 10) / 10) })}</td>
                  <td className="num">
                    {p.dead_letters ? (
                      <button className="link-button bad-text" onClick={() => set({ projector: p.name })}>{fmtNumber(p.dead_letters)}</button>
                    ) : (
                      <span className="faint">0</span>
                    )}
                  </td>
                  <td className="wrap bad-text">{p.last_error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <div className="row">
        <h2>{t('projectors.deadLetters')}</h2>
        <span className="faint">{t('projectors.deadHint')}</span>
        <select className="select" style={{ marginLeft: 'auto' }} aria-label={t('projectors.deadCols.projector')} value={values.projector} onChange={(e) => set({ projector: e.target.value })}>
          <option value="">{t('projectors.allProjectors')}</option>
          {rows.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
        </select>
      </div>
      {dead.error ? <ErrorNotice error={dead.error} /> : null}
      <div className="dead-table">
        {dead.isPending ? <Loading /> : (
          <VirtualTable
            label={t('projectors.deadLetters')}
            className="fill"
            rows={dead.items}
            columns={columns}
            rowKey={(r) => String(r.id)}
            onRowClick={setOpen}
            onEndReached={onEnd}
            totalCount={dead.total}
            empty={<Empty compact icon="check" title={t('projectors.deadEmpty')} />}
          />
        )}
      </div>
      {open ? (
        <Dialog wide title={t('projectors.deadTitle', { id: open.id })} onClose={() => setOpen(null)}>
          <dl className="kv">
            <dt>{t('projectors.deadCols.projector')}</dt><dd>{open.projector} <span className="faint mono">({open.stream})</span></dd>
            <dt>{t('projectors.deadCols.subject')}</dt><dd className="mono">{open.subject}</dd>
            <dt>{t('projectors.deadCols.seq')}</dt><dd className="mono">{open.stream_seq ?? '—'}</dd>
            <dt>{t('projectors.deadCols.at')}</dt><dd><AbsTime ts={open.created_at} seconds /></dd>
            <dt>{t('projectors.deadCols.size')}</dt><dd>{fmtBytes(open.size)} · {t('projectors.deadCols.deliveries')} {open.deliveries}</dd>
          </dl>
          <div className="notice bad"><div className="notice-body"><strong>{t('projectors.error')}</strong><span className="mono">{open.error}</span></div></div>
          <OutputViewer text={open.payload} label={open.payload_encoding === 'base64' ? t('projectors.payloadBase64') : t('projectors.payload')} />
        </Dialog>
      ) : null}
    </div>
  )
}
