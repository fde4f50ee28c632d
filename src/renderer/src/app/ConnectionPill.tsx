import { useTranslation } from 'react-i18next'
import { useConnection } from './connection'

export function ConnectionPill() {
  const { t } = useTranslation()
  const c = useConnection()
  let tone = 'ok'
  let text: string
  if (c.link === 'down' || c.link === 'unauthorized') {
    tone = 'bad'
    text = t(`connection.core.${c.link}`)
  } else if (c.review) {
    tone = 'warn'
    text = t('connection.nats.offline_review')
  } else {
    tone = c.nats === 'connected' ? 'ok' : c.nats === 'unknown' || c.nats === 'connecting' || c.nats === 'reconnecting' ? 'warn' : 'bad'
    text = t(`connection.nats.${c.nats}`)
  }
  return (
    <span className="conn-pill" role="status" data-testid="connection-pill" data-state={c.review ? 'offline_review' : c.nats}>
      <span className={`dot ${tone === 'ok' ? 'ok' : tone === 'bad' ? 'bad' : 'warn'}`} />
      {text}
    </span>
  )
}
