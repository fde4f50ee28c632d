import { useTranslation } from 'react-i18next'
import { Icon } from '../components/Icon'
import { fmtDateTime } from '../lib/format'
import { useConnection } from './connection'

// A banner when something the admin relies on is down: the core, NATS, or in offline review.

export function ConnectionBanner() {
  const { t } = useTranslation()
  const c = useConnection()
  if (c.link === 'down') {
    return (
      <div className="banner bad" role="alert" data-testid="banner-core">
        <Icon name="alert" />
        <span>{t('connection.bannerCore')}</span>
      </div>
    )
  }
  if (c.review) {
    return (
      <div className="banner warn" role="status" data-testid="banner-review">
        <Icon name="audit" />
        <span>{t('connection.bannerReview')}</span>
      </div>
    )
  }
  if (c.nats === 'disconnected' || c.nats === 'reconnecting' || c.nats === 'closed') {
    const since = c.natsInfo?.since ? fmtDateTime(c.natsInfo.since, { seconds: true }) : t('common.unknown')
    return (
      <div className="banner bad" role="alert" data-testid="banner-nats">
        <Icon name="alert" />
        <span>
          {t('connection.bannerNats', { state: t(`connection.bannerState.${c.nats}`), since })}
          {c.natsInfo?.lastError ? ` ${t('connection.bannerNatsError', { error: c.natsInfo.lastError })}` : ''}
        </span>
      </div>
    )
  }
  return null
}
