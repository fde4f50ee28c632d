import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { useConnection } from '../../app/connection'
import { CsvButton } from '../../components/CsvButton'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { nextSort, parseSort, sortParam, VirtualTable, type SortState } from '../../components/VirtualTable'
import { fmtNumber } from '../../lib/format'
import { useDebouncedText, useSearchState } from '../../lib/useSearchState'
import { useAgentColumns } from './agentColumns'
import { AgentDialogs, type AgentDialog } from './AgentDialogs'
import { isOnline } from './liveness'

// The roster: thousands of PCs, virtualised; filters in the URL; CSV of exactly what is shown.

const KEYS = ['q', 'status', 'version', 'group', 'sort'] as const
const DEFAULT_SORT: SortState = { key: 'pc_id', desc: false }

export default function AgentsPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const conn = useConnection()
  const { values, set, clear, active } = useSearchState(KEYS)
  const [text, setText] = useDebouncedText(values.q, (q) => set({ q }))
  const [dialog, setDialog] = useState<AgentDialog | null>(null)
  const sort = parseSort(values.sort, DEFAULT_SORT)
  const withGroups = conn.nats === 'connected'

  const query = {
    q: values.q || undefined,
    status: (values.status || undefined) as 'online' | 'offline' | undefined,
    version: values.version || undefined,
    group: values.group || undefined,
    include_groups: withGroups || undefined,
    sort: sortParam(sort) as never,
  }
  const agents = useOp('listAgents', { query }, { keepPrevious: true })
  const groups = useOp('listGroups', undefined, { enabled: withGroups, retry: false, staleTime: 60_000 })

  // Versions seen so far, so the version filter keeps its options while a filter is applied.
  const seenVersions = useRef(new Set<string>())
  const rows = useMemo(() => agents.data?.items ?? [], [agents.data])
  for (const r of rows) if (r.agent_version) seenVersions.current.add(r.agent_version)
  const versions = [...seenVersions.current].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))

  const total = agents.data?.total ?? 0
  const online = agents.data?.counts?.online ?? rows.filter((r) => isOnline(r)).length
  const offline = agents.data?.counts?.offline ?? total - online
  const columns = useAgentColumns(withGroups, setDialog)
  const onSort = useCallback((key: string) => set({ sort: sortParam(nextSort(sort, key)) }), [set, sort])

  // First-render figure for the bench: mark when the roster first shows rows.
  const marked = useRef(false)
  useEffect(() => {
    if (!marked.current && rows.length > 0) {
      marked.current = true
      performance.mark('agents:first-rows')
    }
  }, [rows.length])

  const csvQuery = { ...query, include_groups: undefined }
  return (
    <div className="page list-page" data-testid="page-agents">
      <PageHeader
        title={t('agents.title')}
        subtitle={agents.data ? <span data-testid="agents-summary">{t('agents.summary', { total: fmtNumber(total), online: fmtNumber(online), offline: fmtNumber(offline) })}</span> : null}
        actions={<CsvButton op="listAgents" input={{ query: csvQuery }} filename="agents" />}
      />
      <div className="filters" role="search">
        <div className="search-box">
          <Icon name="search" />
          <input className="input" type="search" placeholder={t('agents.search')} aria-label={t('agents.search')} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="segmented" role="group" aria-label={t('agents.cols.status')}>
          {(['', 'online', 'offline'] as const).map((s) => (
            <button key={s || 'all'} aria-pressed={values.status === s} onClick={() => set({ status: s })}>
              {s ? t(`status.${s}`) : t('agents.statusAll')}
            </button>
          ))}
        </div>
        <select className="select" aria-label={t('agents.version')} value={values.version} onChange={(e) => set({ version: e.target.value })}>
          <option value="">{t('agents.allVersions')}</option>
          {versions.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <select className="select" aria-label={t('agents.group')} value={values.group} onChange={(e) => set({ group: e.target.value })} disabled={!withGroups && !values.group}>
          <option value="">{t('agents.allGroups')}</option>
          {values.group && !groups.data?.items.some((g) => g.name === values.group) ? <option value={values.group}>{values.group}</option> : null}
          {(groups.data?.items ?? []).map((g) => (
            <option key={g.name} value={g.name}>
              {g.name} ({fmtNumber(g.member_count)})
            </option>
          ))}
        </select>
        {active && (values.q || values.status || values.version || values.group) ? (
          <button className="btn ghost small" onClick={() => { setText(''); clear() }}>
            <Icon name="close" /> {t('common.clearFilters')}
          </button>
        ) : null}
        {agents.isFetching && agents.data ? <span className="spinner" aria-label={t('common.loading')} /> : null}
      </div>
      {agents.error ? <ErrorNotice error={agents.error} onRetry={() => agents.refetch()} /> : null}
      {agents.isPending ? (
        <Loading label={t('common.loading')} />
      ) : (
        <VirtualTable
          label={t('agents.title')}
          testId="agents-table"
          rows={rows}
          columns={columns}
          rowKey={(r) => r.pc_id}
          sort={sort}
          onSort={onSort}
          onRowClick={(r) => navigate(`/agents/${encodeURIComponent(r.pc_id)}`)}
          totalCount={total}
          empty={
            total === 0 && !values.q && !values.status && !values.version && !values.group ? (
              <Empty icon="agents" title={t('agents.empty')}>{t('agents.emptyHint')}</Empty>
            ) : (
              <Empty icon="filter" title={t('agents.noMatch')} action={<button className="btn" onClick={() => { setText(''); clear() }}>{t('common.clearFilters')}</button>}>
                {t('agents.noMatchHint')}
              </Empty>
            )
          }
          footer={<span>{t('common.showingOf', { shown: fmtNumber(rows.length), total: fmtNumber(total) })}</span>}
        />
      )}
      {dialog ? <AgentDialogs dialog={dialog} onClose={() => setDialog(null)} /> : null}
    </div>
  )
}
