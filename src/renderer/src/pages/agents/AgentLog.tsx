import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { OutputViewer } from '../../components/OutputViewer'

// The agent's own log tail, fetched on demand (a request to the PC, answered only when online).

export function AgentLog({ pcId }: { pcId: string }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const log = useOp('agentLogs', { params: { pc_id: pcId }, query: { tail: 500 } }, { enabled: open, retry: false, staleTime: 0 })
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('agent.logs')}</h2>
        <div className="actions">
          <button className="btn small" onClick={() => (open ? log.refetch() : setOpen(true))} disabled={log.isFetching}>
            <Icon name="refresh" /> {open ? t('common.retry') : t('common.open')}
          </button>
        </div>
      </div>
      {open ? (
        <div className="card-body">
          {log.isFetching ? <Loading /> : null}
          {log.error ? <ErrorNotice error={log.error} /> : null}
          {log.data !== undefined && !log.isFetching ? <OutputViewer text={log.data} label="agent.log" /> : null}
        </div>
      ) : null}
    </section>
  )
}
