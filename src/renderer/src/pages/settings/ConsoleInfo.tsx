import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Badge } from '../../components/Status'
import { fmtDateTime } from '../../lib/format'

// What the console runs with, from GET /api/settings: version, data, NATS (embedded or
// external), the HTTP API and how it authenticates (never a secret), durable consumer names.

export function ConsoleInfo() {
  const { t } = useTranslation()
  const q = useOp('getSettings', undefined, { retry: false })
  if (q.error) return <section className="card"><div className="card-body"><ErrorNotice error={q.error} /></div></section>
  if (!q.data) return <section className="card"><div className="card-body"><Loading /></div></section>
  const s = q.data
  const dash = (v: string | null) => v ?? '—'
  return (
    <>
      <section className="card" data-testid="settings-console">
        <div className="card-head"><h2>{t('settings.console')}</h2></div>
        <div className="card-body">
          <dl className="kv">
            <dt>{t('settings.version')}</dt>
            <dd className="mono" data-testid="settings-version">{s.version}</dd>
            <dt>{t('settings.mode')}</dt>
            <dd>{s.review ? <Badge tone="warn">{t('settings.modeReview')}</Badge> : <Badge tone="ok">{t('settings.modeLive')}</Badge>}</dd>
            <dt>{t('settings.dataDir')}</dt>
            <dd className="mono" data-testid="settings-data-dir">{s.data_dir}</dd>
            <dt>{t('settings.dbPath')}</dt>
            <dd className="mono">{s.db_path}</dd>
            <dt>{t('settings.consumerPrefix')}</dt>
            <dd>
              <span className="mono">{s.consumer_prefix}</span>{' '}
              <span className="faint">{s.consumer_prefix_source === 'config' ? t('settings.prefixConfigured') : t('settings.prefixInstall')}</span>
            </dd>
            <dt>{t('settings.installId')}</dt>
            <dd className="mono">{s.install_id}</dd>
            <dt>{t('settings.onlineWindow')}</dt>
            <dd>
              {t('settings.onlineWindowValue', { secs: s.online_window_secs })}
              {s.online_window_secs !== 120 ? <> <Badge tone="warn">{t('settings.onlineWindowDev')}</Badge></> : null}
            </dd>
            <dt>{t('settings.logLevel')}</dt>
            <dd className="mono">{s.log_level}</dd>
          </dl>
        </div>
      </section>
      <section className="card" data-testid="settings-nats">
        <div className="card-head"><h2>{t('settings.natsTitle')}</h2></div>
        <div className="card-body">
          <dl className="kv">
            <dt>{t('settings.natsMode')}</dt>
            <dd data-testid="settings-nats-mode">{t(`settings.natsModes.${s.nats.mode}`)}</dd>
            <dt>{t('settings.natsUrls')}</dt>
            <dd className="mono" data-testid="settings-nats-urls">{s.nats.urls.length ? s.nats.urls.join(', ') : '—'}</dd>
            {s.nats.embedded_url ? (
              <>
                <dt>{t('settings.natsEmbedded')}</dt>
                <dd className="mono">{s.nats.embedded_url}</dd>
              </>
            ) : null}
            <dt>{t('settings.natsState')}</dt>
            <dd><Badge tone={s.nats.state === 'connected' ? 'ok' : s.review ? 'warn' : 'bad'} dot>{t(`connection.nats.${s.nats.state}`)}</Badge></dd>
            <dt>{t('settings.natsServer')}</dt>
            <dd className="mono">{dash(s.nats.server)}</dd>
            <dt>{t('settings.natsSince')}</dt>
            <dd>{s.nats.since ? fmtDateTime(s.nats.since, { seconds: true }) : '—'}</dd>
            <dt>{t('settings.natsReconnects')}</dt>
            <dd>{s.nats.reconnects}</dd>
            <dt>{t('settings.natsCredentials')}</dt>
            <dd>{[s.nats.token ? t('settings.natsTokenSet') : null, s.nats.creds_file].filter(Boolean).join(' · ') || t('settings.none')}</dd>
            <dt>{t('settings.replicas')}</dt>
            <dd>{s.nats.replicas}</dd>
          </dl>
        </div>
      </section>
      <section className="card" data-testid="settings-http">
        <div className="card-head"><h2>{t('settings.httpTitle')}</h2></div>
        <div className="card-body">
          <dl className="kv">
            <dt>{t('settings.httpUrl')}</dt>
            <dd className="mono">{s.http.url ?? t('settings.httpNotServed')}</dd>
            <dt>{t('settings.httpBind')}</dt>
            <dd className="mono">{s.http.bind}</dd>
            <dt>{t('settings.authMode')}</dt>
            <dd data-testid="settings-auth">{t(`settings.authModes.${s.http.auth}`)}</dd>
            {s.http.token_file ? (
              <>
                <dt>{t('settings.tokenFile')}</dt>
                <dd className="mono">{s.http.token_file}</dd>
              </>
            ) : null}
          </dl>
        </div>
      </section>
    </>
  )
}
