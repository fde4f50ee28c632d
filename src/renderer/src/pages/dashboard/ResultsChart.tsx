import { useMemo } from 'react'
import { useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { fmtTime } from '../../lib/format'
import { chartRows, chartWindow, HOUR } from './buckets'
import { useTokenColors } from '../../theme/theme'

// Results per hour over the last 24 hours, succeeded vs failed vs running, counted by the server
// (GET /api/results/histogram). A bar drills down to that hour. results.changed refreshes it.

export default function ResultsChart() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { since, until } = chartWindow(Date.now())
  const q = useOp('resultsHistogram', { query: { since, until, bucket: '1h' } }, { keepPrevious: true })
  const colors = useTokenColors(['ok', 'bad', 'run', 'text-faint', 'border', 'surface', 'text'] as const)
  const data = useMemo(() => chartRows(q.data), [q.data])
  const total = q.data?.total ?? 0

  return (
    <section className="card dash-chart" data-testid="dash-chart">
      <div className="card-head">
        <h2>{t('dashboard.chart')}</h2>
      </div>
      <div className="card-body" style={{ height: 230 }}>
        {q.error ? <ErrorNotice error={q.error} /> : null}
        {q.isPending ? <Loading /> : null}
        {q.data && total === 0 ? <Empty compact icon="activity" title={t('dashboard.chartEmpty')} /> : null}
        {q.data && total > 0 ? (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              data={data}
              margin={{ top: 6, right: 6, bottom: 0, left: -18 }}
              onClick={(s) => {
                const i = typeof s?.activeTooltipIndex === 'number' ? s.activeTooltipIndex : Number(s?.activeTooltipIndex)
                const b = Number.isFinite(i) ? data[i] : undefined
                if (b) navigate(`/activity?since=${new Date(b.start).toISOString()}&until=${new Date(b.start + HOUR).toISOString()}`)
              }}
            >
              <CartesianGrid vertical={false} stroke={colors.border} />
              <XAxis dataKey="start" tickFormatter={(v: number) => fmtTime(v)} tick={{ fill: colors['text-faint'], fontSize: 11 }} axisLine={false} tickLine={false} interval={2} />
              <YAxis allowDecimals={false} tick={{ fill: colors['text-faint'], fontSize: 11 }} axisLine={false} tickLine={false} />
              <Tooltip
                cursor={{ fill: colors.border, opacity: 0.4 }}
                contentStyle={{ background: colors.surface, border: `1px solid ${colors.border}`, borderRadius: 8, color: colors.text, fontSize: 12 }}
                labelFormatter={(v) => `${fmtTime(Number(v))} – ${fmtTime(Number(v) + HOUR)}`}
              />
              <Bar dataKey="success" name={t('status.success')} stackId="r" fill={colors.ok} isAnimationActive={false} />
              <Bar dataKey="failure" name={t('status.failure')} stackId="r" fill={colors.bad} isAnimationActive={false} />
              <Bar dataKey="running" name={t('status.running')} stackId="r" fill={colors.run} radius={[3, 3, 0, 0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        ) : null}
      </div>
    </section>
  )
}
