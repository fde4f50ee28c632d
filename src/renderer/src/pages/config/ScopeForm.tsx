import { useEffect, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { transport } from '../../api/client'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { toast } from '../../components/Toasts'

// Edits one config scope (global, a group, or a PC): empty field = inherit from the layer below.

export const SCOPE_FIELDS = ['target_version', 'target_version_jitter', 'heartbeat_interval'] as const
export type ScopeValues = Partial<Record<(typeof SCOPE_FIELDS)[number], string>>

export type ScopeRef = { type: 'global' } | { type: 'group'; name: string } | { type: 'pc'; name: string }

export const scopeKey = (s: ScopeRef) => (s.type === 'global' ? 'global' : s.type === 'group' ? `groups.${s.name}` : `pcs.${s.name}`)

async function putScope(ref: ScopeRef, body: Record<string, string | null>) {
  if (ref.type === 'global') return transport.call('putGlobalConfig', { body })
  if (ref.type === 'group') return transport.call('putGroupConfig', { params: { name: ref.name }, body })
  return transport.call('putPcConfig', { params: { pc_id: ref.name }, body })
}
async function deleteScope(ref: ScopeRef) {
  if (ref.type === 'global') return transport.call('deleteGlobalConfig', {})
  if (ref.type === 'group') return transport.call('deleteGroupConfig', { params: { name: ref.name } })
  return transport.call('deletePcConfig', { params: { pc_id: ref.name } })
}

export function ScopeForm({ scope, value, releases }: { scope: ScopeRef; value: ScopeValues; releases: string[] }) {
  const { t } = useTranslation()
  const [form, setForm] = useState<ScopeValues>(value)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const key = scopeKey(scope)
  useEffect(() => setForm(value), [value])
  // Writes go through the client directly (three ops share this form), then refresh the domain.
  const qc = useQueryClient()
  const run = async (fn: () => Promise<unknown>, message: string) => {
    setBusy(true)
    setError(null)
    try {
      await fn()
      toast('ok', message)
      await Promise.all([qc.invalidateQueries({ queryKey: ['config'] }), qc.invalidateQueries({ queryKey: ['groups'] })])
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const body = Object.fromEntries(SCOPE_FIELDS.map((f) => [f, form[f]?.trim() || null]))
  const dirty = SCOPE_FIELDS.some((f) => (form[f] ?? '') !== (value[f] ?? ''))
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault()
        void run(() => putScope(scope, body), t('config.scopeSaved', { scope: key }))
      }}
    >
      <div className="grid-3">
        {SCOPE_FIELDS.map((f) => (
          <div className="field" key={f}>
            <label htmlFor={`${key}-${f}`}>{t(`config.fields.${f}`)}</label>
            <input
              id={`${key}-${f}`}
              className="input mono"
              list={f === 'target_version' ? 'release-versions' : undefined}
              placeholder={t('config.inherit')}
              value={form[f] ?? ''}
              onChange={(e) => setForm({ ...form, [f]: e.target.value })}
            />
            <span className="hint">{t(`config.fieldHints.${f}`)}</span>
          </div>
        ))}
      </div>
      <datalist id="release-versions">
        {releases.map((v) => <option key={v} value={v} />)}
      </datalist>
      {error ? <ErrorNotice error={error} /> : null}
      <div className="row">
        <button className="btn primary" type="submit" disabled={busy || !dirty}>
          {t('config.saveScope')}
        </button>
        {Object.keys(value).length ? (
          <button className="btn danger" type="button" disabled={busy} onClick={() => void run(() => deleteScope(scope), t('config.scopeCleared', { scope: key }))}>
            <Icon name="trash" /> {t('config.clearScope')}
          </button>
        ) : null}
      </div>
    </form>
  )
}
