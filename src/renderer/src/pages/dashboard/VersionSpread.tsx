import { useMemo } from 'react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { fmtNumber, fmtPercent } from '../../lib/format'

// How many PCs run each agent version: a quick view of a self-update rollout.

export function versionSpread(rows: { agent_version: string | null }[]): { version: string | null; count: number }[] {
  const m = new Map<string | null, number>()
  for (const r of rows) m.set(r.agent_version, (m.get(r.agent_version) ?? 0) + 1)
  return [...m.entries()].map(([version, count]) => ({ version, count })).sort((a, b) => b.count - a.count || String(b.version).localeCompare(String(a.version)))
}

export function VersionSpread() {
  const { t } = useTranslation()
  const q = useOp('listAgents', { query: {} })
  const spread = useMemo(() => versionSpread(q.data?.items ?? []), [q.data])
  const total = q.data?.items.length ?? 0
  return (
    <section className="card dash-versions" data-testid="dash-versions">
      <div className="card-head">
        <h2>{t('dashboard.versions')}</h2>
      </div>
      <div className="card-body">
        {q.error ? <ErrorNotice error={q.error} /> : null}
        {q.isPending ? <Loading /> : null}
        {q.data && total === 0 ? <Empty compact icon="agents" title={t('dashboard.versionsEmpty')} /> : null}
        <ul className="bars">
          {spread.slice(0, 8).map((v) => (
            <li key={v.version ?? '∅'}>
              <Link to={v.version ? `/agents?version=${encodeURIComponent(v.version)}` : '/agents'} className="bar-row">
                <span className="bar-label mono">{v.version ?? t('dashboard.versionUnknown')}</span>
                <span className="bar-track">
                  <span className="bar-fill" style={{ width: `${(100 * v.count) / Math.max(1, spread[0].count)}%` }} />
                </span>
                <span className="bar-value num">{fmtNumber(v.count)}</span>
                <span className="bar-pct num faint">{fmtPercent(v.count, total)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}
