import { useState } from 'react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { fmtNumber } from '../../lib/format'
import { ReleasesPanel } from './ReleasesPanel'
import { ScopeForm, type ScopeValues } from './ScopeForm'

// Config scopes (global → groups → PC) and group membership, plus agent releases.

export default function ConfigPage() {
  const { t } = useTranslation()
  const scopes = useOp('listConfigScopes', undefined, { retry: false })
  const groups = useOp('listGroups', undefined, { retry: false })
  const releases = useOp('listReleases', undefined, { retry: false })
  const [group, setGroup] = useState<string | null>(null)
  const [pc, setPc] = useState<string | null>(null)
  const byKey = new Map((scopes.data?.items ?? []).map((s) => [s.key, s.scope as ScopeValues]))
  const versions = (releases.data?.items ?? []).map((r) => r.version)
  const pcScopes = (scopes.data?.items ?? []).filter((s) => s.type === 'pc')
  const selected = groups.data?.items.find((g) => g.name === group) ?? null

  return (
    <div className="page" data-testid="page-config">
      <PageHeader title={t('config.title')} subtitle={t('config.subtitle')} />
      {scopes.error ? <ErrorNotice error={scopes.error} onRetry={() => scopes.refetch()} /> : null}
      <section className="card">
        <div className="card-head">
          <h2>{t('config.global')}</h2>
          <span className="faint">{t('config.globalHint')}</span>
        </div>
        <div className="card-body">{scopes.data ? <ScopeForm scope={{ type: 'global' }} value={byKey.get('global') ?? {}} releases={versions} /> : scopes.isPending ? <Loading /> : null}</div>
      </section>
      <section className="card">
        <div className="card-head">
          <h2>{t('config.groups')}</h2>
        </div>
        <div className="card-body flush">
          {groups.error ? <ErrorNotice error={groups.error} /> : null}
          {groups.isPending ? <Loading /> : null}
          {groups.data && groups.data.items.length === 0 ? <Empty compact icon="group" title={t('config.groupsEmpty')} /> : null}
          {groups.data?.items.length ? (
            <table className="simple" data-testid="groups-table">
              <thead>
                <tr>
                  <th>{t('config.groupCols.name')}</th>
                  <th className="num">{t('config.groupCols.members')}</th>
                  <th>{t('config.groupCols.config')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {groups.data.items.map((g) => (
                  <tr key={g.name} className={g.name === group ? 'clickable selected-row' : 'clickable'} onClick={() => setGroup(g.name === group ? null : g.name)}>
                    <td><strong>{g.name}</strong></td>
                    <td className="num">{fmtNumber(g.member_count)}</td>
                    <td>{g.has_config ? <Badge tone="accent">{t('config.hasConfig')}</Badge> : <span className="faint">—</span>}</td>
                    <td className="num" onClick={(e) => e.stopPropagation()}>
                      <Link className="btn small" to={`/agents?group=${encodeURIComponent(g.name)}`}><Icon name="agents" /> {t('nav.agents')}</Link>{' '}
                      <Link className="btn small" to={`/exec?group=${encodeURIComponent(g.name)}`}><Icon name="exec" /> {t('config.execOnGroup')}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
        {selected ? (
          <div className="card-body stack group-detail">
            <div className="section-label">{t('config.members', { group: selected.name })}</div>
            <div className="chips">
              {selected.members.slice(0, 200).map((m) => <Link className="chip" key={m} to={`/agents/${encodeURIComponent(m)}`}>{m}</Link>)}
              {selected.members.length > 200 ? <span className="faint">{t('board.andMore', { count: selected.members.length - 200 })}</span> : null}
            </div>
            <div className="section-label">{t('config.groupConfig', { group: selected.name })}</div>
            <ScopeForm scope={{ type: 'group', name: selected.name }} value={byKey.get(`groups.${selected.name}`) ?? {}} releases={versions} />
          </div>
        ) : null}
      </section>
      <section className="card">
        <div className="card-head">
          <h2>{t('config.pcScopes')}</h2>
        </div>
        <div className="card-body flush">
          {scopes.data && pcScopes.length === 0 ? <Empty compact icon="agents" title={t('config.pcScopesEmpty')} /> : null}
          {pcScopes.length ? (
            <table className="simple">
              <tbody>
                {pcScopes.map((s) => (
                  <tr key={s.key} className="clickable" onClick={() => setPc(pc === s.name ? null : s.name)}>
                    <td><Link to={`/agents/${encodeURIComponent(s.name ?? '')}`} onClick={(e) => e.stopPropagation()}>{s.name}</Link></td>
                    <td className="mono muted">{Object.entries(s.scope).map(([k, v]) => `${k}=${v}`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
        {pc ? (
          <div className="card-body group-detail">
            <ScopeForm scope={{ type: 'pc', name: pc }} value={byKey.get(`pcs.${pc}`) ?? {}} releases={versions} />
          </div>
        ) : null}
      </section>
      <ReleasesPanel query={releases} />
    </div>
  )
}
