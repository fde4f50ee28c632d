import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { PageHeader } from '../../components/PageHeader'
import { useSearchState } from '../../lib/useSearchState'
import { JobInventory } from '../jobs/JobInventory'

// Inventory facts across the fleet, one inventory job at a time (its summary columns per PC).

export default function InventoryPage() {
  const { t } = useTranslation()
  const jobs = useOp('inventoryJobs', undefined, { retry: false })
  const { values, set } = useSearchState(['job'] as const)
  const items = jobs.data?.items ?? []
  const current = values.job || items[0]?.manifest_id || ''
  return (
    <div className="page" data-testid="page-inventory">
      <PageHeader title={t('inventory.title')} subtitle={t('inventory.subtitle')} />
      {jobs.error ? <ErrorNotice error={jobs.error} onRetry={() => jobs.refetch()} /> : null}
      {jobs.isPending ? <Loading /> : null}
      {jobs.data && items.length === 0 ? (
        <div className="card">
          <Empty icon="layers" title={t('inventory.empty')}>{t('inventory.emptyHint')}</Empty>
        </div>
      ) : null}
      {items.length ? (
        <>
          <div className="tabs" role="tablist">
            {items.map((j) => (
              <button key={j.manifest_id} role="tab" aria-selected={j.manifest_id === current} onClick={() => set({ job: j.manifest_id })} title={j.description ?? undefined}>
                {j.manifest_id}
              </button>
            ))}
          </div>
          {current ? <JobInventory jobId={current} /> : null}
        </>
      ) : null}
    </div>
  )
}
