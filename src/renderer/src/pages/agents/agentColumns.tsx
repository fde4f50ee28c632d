import { useMemo } from 'react'
import { useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import type { OpOut } from '../../api/types'
import { Icon } from '../../components/Icon'
import { ActionMenu } from '../../components/Menu'
import { AgentStatus } from '../../components/Status'
import { RelTime } from '../../components/Time'
import type { Column } from '../../components/VirtualTable'
import { fmtDuration } from '../../lib/format'
import type { AgentDialog } from './AgentDialogs'
import { isOnline, SKEW_WARN_MS } from './liveness'
import { usePing } from './usePing'

export type AgentRow = OpOut<'listAgents'>['items'][number]

export function useAgentColumns(withGroups: boolean, open: (d: AgentDialog) => void): Column<AgentRow>[] {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const ping = usePing()
  return useMemo(() => {
    const cols: Column<AgentRow>[] = [
      { id: 'status', header: '', label: t('agents.cols.status'), width: '36px', cell: (r) => <AgentStatus online={isOnline(r)} compact /> },
      { id: 'pc', header: t('agents.cols.pc'), width: 'minmax(150px, 1.3fr)', sort: 'pc_id', cell: (r) => <strong className="pc-id">{r.pc_id}</strong> },
      { id: 'hostname', header: t('agents.cols.hostname'), width: 'minmax(120px, 1fr)', sort: 'hostname', cell: (r) => r.hostname ?? <span className="faint">—</span> },
      { id: 'os', header: t('agents.cols.os'), width: '100px', sort: 'os_family', cell: (r) => r.os_family ?? <span className="faint">—</span> },
      { id: 'version', header: t('agents.cols.version'), width: '120px', sort: 'agent_version', cell: (r) => <span className="mono">{r.agent_version ?? '—'}</span> },
    ]
    if (withGroups) {
      cols.push({
        id: 'groups',
        header: t('agents.cols.groups'),
        width: 'minmax(120px, 1.2fr)',
        cell: (r) => (r.groups?.length ? <span className="chips">{r.groups.map((g) => <span className="chip" key={g}>{g}</span>)}</span> : <span className="faint">—</span>),
      })
    }
    cols.push(
      {
        id: 'heartbeat',
        header: t('agents.cols.lastHeartbeat'),
        width: '140px',
        sort: 'last_heartbeat',
        cell: (r) => (
          <span className="row" style={{ gap: 4 }}>
            <RelTime ts={r.last_heartbeat} />
            {r.clock_skew_ms !== null && Math.abs(r.clock_skew_ms) > SKEW_WARN_MS ? (
              <span className="skew" title={t('agents.skew', { skew: fmtDuration(Math.abs(r.clock_skew_ms)) })}>
                <Icon name="alert" size={13} />
              </span>
            ) : null}
          </span>
        ),
      },
      { id: 'seen', header: t('agents.cols.lastSeen'), width: '120px', sort: 'last_seen_at', cell: (r) => <RelTime ts={r.last_seen_at} className="muted" /> },
      {
        id: 'actions',
        header: '',
        width: '48px',
        cell: (r) => (
          <ActionMenu
            label={t('common.more')}
            items={[
              { label: t('agents.actions.run'), icon: 'exec', onSelect: () => navigate(`/exec?pcs=${encodeURIComponent(r.pc_id)}`) },
              { label: t('agents.actions.script'), icon: 'run', onSelect: () => navigate(`/run?pc=${encodeURIComponent(r.pc_id)}`) },
              { label: t('agents.actions.activity'), icon: 'activity', onSelect: () => navigate(`/activity?pc_id=${encodeURIComponent(r.pc_id)}`) },
              { label: t('agents.actions.ping'), icon: 'ping', onSelect: () => ping(r.pc_id) },
              { label: t('agents.actions.groups'), icon: 'group', onSelect: () => open({ kind: 'groups', pcId: r.pc_id }) },
              { label: t('agents.actions.config'), icon: 'config', onSelect: () => open({ kind: 'config', pcId: r.pc_id }) },
            ]}
          />
        ),
      },
    )
    return cols
  }, [t, withGroups, navigate, ping, open])
}
