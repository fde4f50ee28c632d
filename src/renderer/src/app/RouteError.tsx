import { isRouteErrorResponse, Link, useRouteError } from 'react-router'
import { useTranslation } from 'react-i18next'
import { ErrorNotice } from '../components/ErrorNotice'

// Shown when a page throws while rendering or its code fails to load.

export function RouteError() {
  const { t } = useTranslation()
  const error = useRouteError()
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error)
  return (
    <div className="page">
      <ErrorNotice error={{ error: 'internal', message }} onRetry={() => window.location.reload()} />
      <Link to="/">{t('errors.goHome')}</Link>
    </div>
  )
}
