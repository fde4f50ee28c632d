import type { ComponentProps, ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Empty, Loading } from './Empty'
import { ErrorNotice } from './ErrorNotice'

// What list pages show around their tables, kept the same on every page.

/** Above a list's table: the load error (with retry), the spinner, and an empty card once the
 *  list has loaded with no rows. */
export function ListStatus({ query, rows, empty }: {
  query: { error: unknown; isPending: boolean; data: unknown; refetch: () => unknown }
  rows: number
  empty: ComponentProps<typeof Empty>
}) {
  return (
    <>
      {query.error ? <ErrorNotice error={query.error} onRetry={() => query.refetch()} /> : null}
      {query.isPending ? <Loading /> : null}
      {query.data && rows === 0 ? (
        <div className="card">
          <Empty {...empty} />
        </div>
      ) : null}
    </>
  )
}

/** A filterable list's empty state: "nothing matches" with a clear-filters button while
 *  filtered, else what would fill the list and how. */
export function FilterableEmpty({ filtered, onClear, noMatch, icon, title, hint, action }: {
  filtered: boolean
  onClear: () => void
  noMatch: string
  icon: ComponentProps<typeof Empty>['icon']
  title: string
  hint: ReactNode
  action: ReactNode
}) {
  const { t } = useTranslation()
  return filtered ? (
    <Empty icon="filter" title={noMatch} action={<button className="btn" onClick={onClear}>{t('common.clearFilters')}</button>} />
  ) : (
    <Empty icon={icon} title={title} action={action}>
      {hint}
    </Empty>
  )
}
