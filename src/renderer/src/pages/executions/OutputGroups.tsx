import { useMemo, useState } from 'react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Badge } from '../../components/Status'
import { fmtNumber } from '../../lib/format'
import { groupOutputs, type OutputGroup } from './outputGroups'

// "148 PCs printed X, 2 printed Y": finished results grouped by exit code and trimmed output.

const SAMPLE = 5000
const SHOW_PCS = 12

function Group({ g }: { g: OutputGroup }) {
  const { t } = useTranslation()
  const [all, setAll] = useState(false)
  const lines = g.output.split('\n')
  const preview = lines.slice(0, 6).join('\n') + (lines.length > 6 ? '\n…' : '')
  const pcs = [...g.pcs].sort()
  const shown = all ? pcs : pcs.slice(0, SHOW_PCS)
  return (
    <li className="out-group" data-testid="output-group">
      <div className="row">
        <Badge tone={g.status === 'success' ? 'ok' : 'bad'}>
          {t('board.outputsGroup', { count: g.pcs.length })}
        </Badge>
        <span className="faint mono">exit {g.exitCode ?? '—'}</span>
        <Link className="btn ghost small" style={{ marginLeft: 'auto' }} to={`/activity/${encodeURIComponent(g.resultId)}`}>
          {t('common.open')}
        </Link>
      </div>
      <pre className="out-preview">{preview || t('board.emptyOutput')}</pre>
      <div className="out-pcs muted">
        {shown.join(', ')}
        {pcs.length > SHOW_PCS && !all ? (
          <>
            {' '}
            <button className="link-button" onClick={() => setAll(true)}>
              {t('board.andMore', { count: pcs.length - SHOW_PCS })}
            </button>
          </>
        ) : null}
      </div>
    </li>
  )
}

export function OutputGroups({ execId }: { execId: string }) {
  const { t } = useTranslation()
  const q = useOp('listResults', { query: { exec_id: execId, limit: SAMPLE } }, { keepPrevious: true })
  const groups = useMemo(() => groupOutputs(q.data?.items ?? []), [q.data])
  return (
    <section className="card board-outputs" data-testid="board-outputs">
      <div className="card-head">
        <h2>{t('board.outputs')}</h2>
        <span className="faint">{t('board.outputsHint')}</span>
      </div>
      <div className="card-body">
        {q.error ? <ErrorNotice error={q.error} /> : null}
        {q.isPending ? <Loading /> : null}
        {q.data && groups.length === 0 ? <Empty compact icon="executions" title={t('board.outputsEmpty')} /> : null}
        {(q.data?.total ?? 0) > SAMPLE ? <p className="faint">{t('board.outputsSample', { n: fmtNumber(SAMPLE) })}</p> : null}
        <ul className="out-groups">
          {groups.map((g) => (
            <Group key={g.key} g={g} />
          ))}
        </ul>
      </div>
    </section>
  )
}
