import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FactValue } from '../../components/Facts'
import { RelTime } from '../../components/Time'

// Inventory facts of every PC for one inventory job, with the manifest's summary columns.

export function JobInventory({ jobId }: { jobId: string }) {
  const { t } = useTranslation()
  const q = useOp('inventoryByJob', { params: { manifest_id: jobId } }, { retry: false })
  const cols = q.data ? (q.data.summary?.length ? q.data.summary : (q.data.display ?? [])) : []
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('jobEditor.inventoryTitle')}</h2>
      </div>
      <div className="card-body flush table-x">
        {q.error ? <ErrorNotice error={q.error} /> : null}
        {q.isPending ? <Loading /> : null}
        {q.data && q.data.rows.length === 0 ? <Empty compact icon="jobs" title={t('jobEditor.inventoryEmpty')} /> : null}
        {q.data?.rows.length ? (
          <table className="simple">
            <thead>
              <tr>
                <th>{t('activity.cols.pc')}</th>
                {cols.map((c) => (
                  <th key={c.field}>{c.label}</th>
                ))}
                <th>{t('result.recorded')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.rows.map((r) => (
                <tr key={r.pc_id}>
                  <td>
                    <Link to={`/agents/${encodeURIComponent(r.pc_id)}`}>{r.pc_id}</Link>
                  </td>
                  {cols.map((c) => (
                    <td key={c.field}>
                      <FactValue value={(r.facts as Record<string, unknown> | null)?.[c.field]} type={c.type} columns={c.columns} />
                    </td>
                  ))}
                  <td className="muted">
                    <RelTime ts={r.collected_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </section>
  )
}
