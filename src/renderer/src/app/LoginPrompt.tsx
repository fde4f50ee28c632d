import { useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { transport } from '../api/client'
import { HttpTransport } from '../api/http'
import { useLive } from '../api/live'
import { setToken } from '../api/token'
import { Icon } from '../components/Icon'

// Asks for the bearer token when the HTTP API answers 401 (no `?token=` in the link, or it expired).

export function LoginPrompt() {
  const { t } = useTranslation()
  const live = useLive()
  const qc = useQueryClient()
  const [value, setValue] = useState('')
  const [error, setError] = useState(false)
  const [busy, setBusy] = useState(false)
  if (live.link !== 'unauthorized' || !(transport instanceof HttpTransport)) return null
  const http = transport

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(false)
    setToken(value)
    try {
      await http.call('fleetHealth', undefined)
      http.reconnect()
      await qc.invalidateQueries()
    } catch {
      setToken(null)
      setError(true)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="overlay">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="login-title" onSubmit={submit}>
        <div className="dialog-head">
          <Icon name="key" />
          <h2 id="login-title">{t('login.title')}</h2>
        </div>
        <div className="dialog-body">
          <p className="muted" style={{ margin: 0 }}>
            {t('login.body')}
          </p>
          <div className="field">
            <label htmlFor="login-token">{t('login.token')}</label>
            <input
              id="login-token"
              className={error ? 'input invalid mono' : 'input mono'}
              type="password"
              autoComplete="current-password"
              autoFocus
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
            {error ? <span className="error-text" role="alert">{t('login.rejected')}</span> : null}
          </div>
        </div>
        <div className="dialog-foot">
          <button className="btn primary" type="submit" disabled={!value.trim() || busy}>
            {t('login.submit')}
          </button>
        </div>
      </form>
    </div>
  )
}
