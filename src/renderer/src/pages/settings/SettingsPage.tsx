import { useTranslation } from 'react-i18next'
import { transport } from '../../api/client'
import { HttpTransport } from '../../api/http'
import { getToken, setToken } from '../../api/token'
import { useConnection } from '../../app/connection'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { ConsoleInfo } from './ConsoleInfo'
import { languageChoice, resolvedLanguage, setLanguageChoice, type Language } from '../../i18n'
import { fmtDateTime } from '../../lib/format'
import { setThemeChoice, useTheme, type ThemeChoice } from '../../theme/theme'

// Appearance (theme, language), the connection as this window sees it, what the console runs
// with (GET /api/settings), access, shortcuts.

export default function SettingsPage() {
  const { t, i18n } = useTranslation()
  const theme = useTheme()
  const conn = useConnection()
  const lang = languageChoice()
  const langName = (l: Language) => (l === 'ja' ? '日本語' : 'English')
  const http = transport instanceof HttpTransport
  return (
    <div className="page form-page" data-testid="page-settings">
      <PageHeader title={t('settings.title')} />
      <section className="card">
        <div className="card-head"><h2>{t('settings.appearance')}</h2></div>
        <div className="card-body stack">
          <div className="field">
            <span className="label">{t('settings.theme')}</span>
            <div className="segmented" role="radiogroup" aria-label={t('settings.theme')}>
              {(['system', 'light', 'dark'] as ThemeChoice[]).map((c) => (
                <button key={c} role="radio" aria-checked={theme.choice === c} aria-pressed={theme.choice === c} onClick={() => setThemeChoice(c)}>
                  {t(`shell.theme.${c}`)}
                </button>
              ))}
            </div>
          </div>
          <div className="field">
            <span className="label">{t('settings.language')}</span>
            <div className="segmented" role="radiogroup" aria-label={t('settings.language')} key={i18n.language}>
              <button role="radio" aria-checked={lang === 'system'} aria-pressed={lang === 'system'} onClick={() => void setLanguageChoice('system')}>
                {t('settings.languageSystem', { lang: langName(resolvedLanguage('system')) })}
              </button>
              {(['en', 'ja'] as Language[]).map((l) => (
                <button key={l} role="radio" aria-checked={lang === l} aria-pressed={lang === l} onClick={() => void setLanguageChoice(l)}>
                  {langName(l)}
                </button>
              ))}
            </div>
          </div>
        </div>
      </section>
      <section className="card">
        <div className="card-head"><h2>{t('settings.connection')}</h2></div>
        <div className="card-body">
          <dl className="kv">
            <dt>{t('settings.transport')}</dt>
            <dd>{http ? t('settings.transportHttp') : t('settings.transportIpc')}</dd>
            <dt>{t('settings.coreLink')}</dt>
            <dd><Badge tone={conn.link === 'up' ? 'ok' : conn.link === 'connecting' ? 'warn' : 'bad'} dot>{t(`connection.core.${conn.link}`)}</Badge></dd>
            <dt>{t('settings.natsState')}</dt>
            <dd><Badge tone={conn.nats === 'connected' ? 'ok' : conn.review ? 'warn' : 'bad'} dot>{t(`connection.nats.${conn.nats}`)}</Badge></dd>
            <dt>{t('settings.natsServer')}</dt>
            <dd className="mono">{conn.natsInfo?.server ?? '—'}</dd>
            <dt>{t('settings.natsSince')}</dt>
            <dd>{conn.natsInfo?.since ? fmtDateTime(conn.natsInfo.since, { seconds: true }) : '—'}</dd>
            <dt>{t('settings.natsError')}</dt>
            <dd className="mono">{conn.natsInfo?.lastError ?? '—'}</dd>
          </dl>
        </div>
      </section>
      <ConsoleInfo />
      <section className="card">
        <div className="card-head"><h2>{t('settings.access')}</h2></div>
        <div className="card-body row">
          <Icon name="key" />
          <span>{http ? (getToken() ? t('settings.tokenSet') : t('settings.tokenNone')) : t('settings.desktopAccess')}</span>
          {http && getToken() ? (
            <button className="btn small" style={{ marginLeft: 'auto' }} onClick={() => { setToken(null); window.location.reload() }}>
              <Icon name="logout" /> {t('login.signOut')}
            </button>
          ) : null}
        </div>
      </section>
      <section className="card">
        <div className="card-head"><h2>{t('settings.shortcuts')}</h2></div>
        <div className="card-body">
          <dl className="kv">
            <dt><kbd>Ctrl</kbd> / <kbd>⌘</kbd> + <kbd>K</kbd></dt><dd>{t('settings.shortcutPalette')}</dd>
            <dt><kbd>g</kbd> <kbd>a</kbd></dt><dd>{t('settings.shortcutGo')}</dd>
            <dt><kbd>↑</kbd> <kbd>↓</kbd> <kbd>Enter</kbd></dt><dd>{t('settings.shortcutTable')}</dd>
          </dl>
        </div>
      </section>
      <section className="card">
        <div className="card-head"><h2>{t('settings.about')}</h2></div>
        <div className="card-body muted">{t('settings.aboutBody')}</div>
      </section>
    </div>
  )
}
