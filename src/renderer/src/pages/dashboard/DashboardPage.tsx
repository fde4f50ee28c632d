import { lazy, Suspense } from 'react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { useConnection } from '../../app/connection'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon, type IconName } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { fmtNumber } from '../../lib/format'
import { RecentResults, RunningExecutions, UpcomingSchedules } from './DashboardLists'
import { VersionSpread } from './VersionSpread'

// recharts is large: load the chart after the tiles and lists are on screen.
const ResultsChart = lazy(() => import('./ResultsChart'))

// The morning view: is the fleet healthy, what is running, what failed, what fires next.
// Every tile links to the list it summarises, already filtered.

function Tile({ to, label, value, sub, tone, icon, text }: { to: string; label: string; value: string; sub?: string; tone?: 'ok' | 'bad' | 'warn'; icon: IconName; text?: boolean }) {
  return (
    <Link className={`tile ${tone ?? ''}`} to={to}>
      <span className="tile-label">
        <Icon name={icon} /> {label}
      </span>
      <span className={text ? 'tile-value text' : 'tile-value'}>{value}</span>
      {sub ? <span className="tile-sub">{sub}</span> : null}
    </Link>
  )
}

export default function DashboardPage() {
  const { t } = useTranslation()
  const health = useOp('fleetHealth', undefined)
  const running = useOp('listExecutions', { query: { status: 'running', limit: 8 } })
  const conn = useConnection()
  const h = health.data
  const stale = h?.agents.stale ?? 0
  const failed = h?.recent_results.failed ?? 0
  const status = h?.status ?? 'unknown'

  return (
    <div className="page" data-testid="page-dashboard">
      <PageHeader
        title={t('nav.dashboard')}
        subtitle={
          h ? (
            <Badge tone={status === 'ok' ? 'ok' : status === 'degraded' ? 'warn' : 'idle'} dot>
              {t(`dashboard.health.${status}`)}
            </Badge>
          ) : null
        }
      />
      {health.error ? <ErrorNotice error={health.error} onRetry={() => health.refetch()} /> : null}
      <section className="tiles" aria-label={t('nav.dashboard')}>
        <Tile to="/agents" icon="agents" label={t('dashboard.tiles.known')} value={fmtNumber(h?.agents.known)} sub={t('dashboard.tiles.knownSub')} />
        <Tile to="/agents?status=online" icon="check" tone={h && h.agents.active > 0 ? 'ok' : undefined} label={t('dashboard.tiles.online')} value={fmtNumber(h?.agents.active)} sub={t('dashboard.tiles.onlineSub')} />
        <Tile to="/agents?status=offline" icon="alert" tone={stale > 0 ? 'warn' : undefined} label={t('dashboard.tiles.offline')} value={fmtNumber(h?.agents.stale)} sub={t('dashboard.tiles.offlineSub')} />
        <Tile
          to="/activity?status=failure&range=24h"
          icon="activity"
          tone={failed > 0 ? 'bad' : undefined}
          label={t('dashboard.tiles.failures')}
          value={fmtNumber(h?.recent_results.failed)}
          sub={t('dashboard.tiles.failuresSub', { total: fmtNumber(h?.recent_results.total) })}
        />
        <Tile to="/executions?status=running" icon="executions" label={t('dashboard.tiles.running')} value={fmtNumber(running.data?.total)} sub={t('dashboard.tiles.runningSub')} />
        <Tile
          to="/jetstream"
          icon="jetstream"
          tone={h ? (h.jetstream.all_ok ? 'ok' : 'bad') : undefined}
          label={t('dashboard.tiles.jetstream')}
          value={h ? `${h.jetstream.healthy}/${h.jetstream.total}` : '—'}
          sub={h && h.jetstream.missing.length ? t('dashboard.tiles.jetstreamMissing', { names: h.jetstream.missing.join(', ') }) : t('dashboard.tiles.jetstreamSub')}
        />
        <Tile
          to="/settings"
          icon="ping"
          tone={conn.review ? 'warn' : conn.nats === 'connected' ? 'ok' : conn.nats === 'unknown' ? undefined : 'bad'}
          label={t('dashboard.tiles.nats')}
          text
          value={t(`connection.short.${conn.nats}`)}
          sub={conn.natsInfo?.server ?? undefined}
        />
      </section>
      <div className="dash-grid">
        <Suspense fallback={<section className="card dash-chart" style={{ minHeight: 272 }} />}>
          <ResultsChart />
        </Suspense>
        <VersionSpread />
        <RunningExecutions query={running} />
        <UpcomingSchedules />
        <RecentResults />
      </div>
    </div>
  )
}
