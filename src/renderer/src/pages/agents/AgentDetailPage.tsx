import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Facts } from '../../components/Facts'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { AgentStatus, ResultStatus } from '../../components/Status'
import { AbsTime, RelTime } from '../../components/Time'
import { durationBetween, fmtDateTime, fmtDuration, fmtRelative } from '../../lib/format'
import { useNow } from '../../lib/useNow'
import { firstLine } from '../dashboard/DashboardLists'
import { AgentLog } from './AgentLog'
import { GroupsDialog } from './AgentDialogs'
import { ConfigLayers } from './ConfigLayers'
import { isOnline, SKEW_WARN_MS } from './liveness'
import { usePing } from './usePing'

// One PC: identity and liveness, groups, config layers, run history and inventory facts.

export default function AgentDetailPage() {
  const { t } = useTranslation()
  const { pcId = '' } = useParams()
  const navigate = useNavigate()
  const now = useNow()
  const ping = usePing()
  const [editGroups, setEditGroups] = useState(false)
  const agent = useOp('getAgent', { params: { pc_id: pcId }, query: {} })
  const groups = useOp('getAgentGroups', { params: { pc_id: pcId } }, { retry: false })
  const history = useOp('listResults', { query: { pc_id: pcId, limit: 25 } })
  const inventory = useOp('inventoryForPc', { params: { pc_id: pcId } }, { retry: false })

  if (agent.error?.code === 'not_found') {
    return (
      <div className="page">
        <Empty icon="agents" title={t('agent.notFound', { pc: pcId })} action={<Link className="btn" to="/agents">{t('nav.agents')}</Link>}>
          {t('agent.notFoundHint')}
        </Empty>
      </div>
    )
  }
  const a = agent.data
  const enc = encodeURIComponent(pcId)
  return (
    <div className="page" data-testid="page-agent">
      <PageHeader
        crumbs={
          <>
            <Link to="/agents">{t('nav.agents')}</Link>
            <Icon name="chevronRight" size={12} />
          </>
        }
        title={
          <span className="row">
            {pcId} {a ? <AgentStatus online={isOnline(a)} /> : null}
          </span>
        }
        subtitle={a?.hostname ?? undefined}
        actions={
          <>
            <button className="btn" onClick={() => ping(pcId)}>
              <Icon name="ping" /> {t('agents.actions.ping')}
            </button>
            <Link className="btn" to={`/run?pc=${enc}`}>
              <Icon name="run" /> {t('agents.actions.script')}
            </Link>
            <Link className="btn primary" to={`/exec?pcs=${enc}`}>
              <Icon name="exec" /> {t('agents.actions.run')}
            </Link>
          </>
        }
      />
      {agent.error ? <ErrorNotice error={agent.error} onRetry={() => agent.refetch()} /> : null}
      <div className="detail-grid">
        <div className="stack">
          <section className="card">
            <div className="card-head">
              <h2>{t('agent.identity')}</h2>
            </div>
            <div className="card-body">
              {!a ? (
                <Loading />
              ) : (
                <dl className="kv">
                  <dt>{t('agent.pcId')}</dt>
                  <dd className="mono">{a.pc_id}</dd>
                  <dt>{t('agent.hostname')}</dt>
                  <dd>{a.hostname ?? '—'}</dd>
                  <dt>{t('agent.os')}</dt>
                  <dd>{a.os_family ?? '—'}</dd>
                  <dt>{t('agent.version')}</dt>
                  <dd className="mono">{a.agent_version ?? '—'}</dd>
                  <dt>{t('agent.lastHeartbeat')}</dt>
                  <dd>
                    <RelTime ts={a.last_heartbeat} /> <span className="faint">· <AbsTime ts={a.last_heartbeat} seconds /></span>
                  </dd>
                  <dt>{t('agent.lastSeen')}</dt>
                  <dd>
                    <RelTime ts={a.last_seen_at} /> <span className="faint">· <AbsTime ts={a.last_seen_at} seconds /></span>
                  </dd>
                  <dt>{t('agent.skew')}</dt>
                  <dd>
                    {a.clock_skew_ms === null ? '—' : fmtDuration(Math.abs(a.clock_skew_ms))}
                    {a.clock_skew_ms !== null && Math.abs(a.clock_skew_ms) > SKEW_WARN_MS ? <span className="skew"> · {t('agent.skewLarge')}</span> : null}
                  </dd>
                </dl>
              )}
            </div>
          </section>
          <section className="card">
            <div className="card-head">
              <h2>{t('agent.groups')}</h2>
              <div className="actions">
                <button className="btn small" onClick={() => setEditGroups(true)}>
                  <Icon name="group" /> {t('agent.editGroups')}
                </button>
              </div>
            </div>
            <div className="card-body">
              {groups.error ? <ErrorNotice error={groups.error} /> : null}
              {groups.data ? (
                groups.data.groups.length ? (
                  <div className="chips">
                    {groups.data.groups.map((g) => (
                      <Link className="chip" key={g} to={`/agents?group=${encodeURIComponent(g)}`}>
                        {g}
                      </Link>
                    ))}
                  </div>
                ) : (
                  <span className="faint">{t('agent.noGroups')}</span>
                )
              ) : null}
            </div>
          </section>
          <section className="card">
            <div className="card-head">
              <h2>{t('agent.config')}</h2>
            </div>
            <div className="card-body">
              <ConfigLayers pcId={pcId} />
            </div>
          </section>
        </div>
        <div className="stack">
          <section className="card" data-testid="agent-history">
            <div className="card-head">
              <h2>{t('agent.history')}</h2>
              <div className="actions">
                <Link className="btn ghost small" to={`/activity?pc_id=${enc}`}>
                  {t('common.viewAll')}
                </Link>
              </div>
            </div>
            <div className="card-body flush">
              {history.error ? <ErrorNotice error={history.error} /> : null}
              {history.data && history.data.items.length === 0 ? <Empty compact icon="activity" title={t('agent.historyEmpty')} /> : null}
              {history.data?.items.length ? (
                <table className="simple">
                  <tbody>
                    {history.data.items.map((r) => (
                      <tr key={r.result_id} className="clickable" onClick={() => navigate(`/activity/${encodeURIComponent(r.result_id)}`)}>
                        <td>
                          <ResultStatus status={r.status} exitCode={r.exit_code} />
                        </td>
                        <td>{r.job_id ?? <span className="faint">{t('result.adhoc')}</span>}</td>
                        <td className="mono muted ellipsis" style={{ maxWidth: 260 }}>
                          {firstLine(r.stdout || r.stderr)}
                        </td>
                        <td className="num muted">{fmtDuration(durationBetween(r.started_at, r.finished_at))}</td>
                        <td className="num muted">
                          <RelTime ts={r.recorded_at} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </div>
          </section>
          <section className="card">
            <div className="card-head">
              <h2>{t('agent.inventory')}</h2>
            </div>
            <div className="card-body stack">
              {inventory.error ? <ErrorNotice error={inventory.error} /> : null}
              {inventory.data && inventory.data.items.length === 0 ? <Empty compact icon="jobs" title={t('agent.inventoryEmpty')} /> : null}
              {inventory.data?.items.map((inv) => (
                <div key={inv.job_id}>
                  <div className="section-label row">
                    <Link to={`/jobs/${encodeURIComponent(inv.job_id)}`}>{inv.job_id}</Link>
                    <span className="faint" title={fmtDateTime(inv.collected_at ?? inv.recorded_at, { seconds: true })}>
                      {t('agent.collected', { when: fmtRelative(inv.collected_at ?? inv.recorded_at, now) })}
                    </span>
                  </div>
                  <Facts facts={inv.facts} display={inv.display} />
                </div>
              ))}
            </div>
          </section>
          <AgentLog pcId={pcId} />
        </div>
      </div>
      {editGroups ? <GroupsDialog pcId={pcId} onClose={() => setEditGroups(false)} /> : null}
    </div>
  )
}
