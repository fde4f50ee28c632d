import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { toFailure } from '../api/failure'
import { liveSnapshot } from '../api/live'
import { Icon } from './Icon'

// An API error as the admin should read it: the API's own message, a plainer sentence for the
// codes that have one (read-only review, broker down, core unreachable), and the code for support.

export function failureText(e: unknown, t: TFunction): { title: string; message: string; code: string } {
  const f = toFailure(e)
  if (f.code === 'read_only') return { title: t('common.readOnly'), message: t('errors.readOnly'), code: f.code }
  if (f.code === 'nats_unavailable' && liveSnapshot().nats?.state === 'offline_review') return { title: t('common.readOnly'), message: t('errors.reviewNoNats'), code: f.code }
  if (f.code === 'nats_unavailable') return { title: t('errors.title'), message: `${t('errors.natsDown')} (${f.message})`, code: f.code }
  if (f.code === 'network') return { title: t('errors.title'), message: t('errors.network', { message: f.message }), code: f.code }
  return { title: t('errors.title'), message: f.message, code: f.code }
}

export function ErrorNotice({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useTranslation()
  const f = failureText(error, t)
  // A caller's title ("The API refused this manifest") would mislead for these: the request
  // never reached validation.
  const generic = ['read_only', 'nats_unavailable', 'network'].includes(f.code)
  return (
    <div className="notice bad" role="alert">
      <Icon name="alert" />
      <div className="notice-body">
        <strong>{generic ? f.title : (title ?? f.title)}</strong>
        <span className="error-message">{f.message}</span>
        <span className="code">{t('errors.code', { code: f.code })}</span>
      </div>
      {onRetry ? (
        <button className="btn small" style={{ marginLeft: 'auto' }} onClick={onRetry}>
          <Icon name="refresh" /> {t('common.retry')}
        </button>
      ) : null}
    </div>
  )
}
