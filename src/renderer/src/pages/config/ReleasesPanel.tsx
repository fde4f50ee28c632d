import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { UseQueryResult } from '@tanstack/react-query'
import { useOpMutation } from '../../api/hooks'
import type { ApiFailure } from '../../api/failure'
import type { OpOut } from '../../api/types'
import { Dialog } from '../../components/Dialog'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice, failureText } from '../../components/ErrorNotice'
import { fmtBytes } from '../../components/Facts'
import { Icon } from '../../components/Icon'
import { ActionMenu } from '../../components/Menu'
import { RelTime } from '../../components/Time'
import { toast } from '../../components/Toasts'

// Agent binaries in the object store: upload, roll out to a scope, delete (409 explained).

type Scope = { type: 'global' } | { type: 'group'; value: string } | { type: 'pc'; value: string }

function RolloutDialog({ version, onClose }: { version: string; onClose: () => void }) {
  const { t } = useTranslation()
  const [type, setType] = useState<Scope['type']>('global')
  const [value, setValue] = useState('')
  const [jitter, setJitter] = useState('')
  const rollout = useOpMutation('rolloutRelease', {
    onSuccess: (r) => {
      toast('ok', t('config.rolloutDone', { version: r.version, scope: r.scope_label }))
      onClose()
    },
  })
  const scope: Scope = type === 'global' ? { type } : { type, value: value.trim() }
  return (
    <Dialog
      title={t('config.rolloutTitle', { version })}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button className="btn primary" disabled={rollout.isPending || (type !== 'global' && !value.trim())} onClick={() => rollout.mutate({ body: { version, scope, jitter: jitter.trim() || undefined } })}>
            {t('config.rollout')}
          </button>
        </>
      }
    >
      <div className="field">
        <span className="label">{t('config.rolloutScope')}</span>
        <div className="segmented" role="radiogroup">
          {(['global', 'group', 'pc'] as const).map((s) => (
            <button key={s} type="button" role="radio" aria-checked={type === s} aria-pressed={type === s} onClick={() => setType(s)}>
              {t(s === 'global' ? 'config.scopeGlobal' : s === 'group' ? 'config.scopeGroup' : 'config.scopePc')}
            </button>
          ))}
        </div>
      </div>
      {type !== 'global' ? (
        <div className="field">
          <label htmlFor="rollout-value">{t('config.scopeValue')}</label>
          <input id="rollout-value" className="input" value={value} onChange={(e) => setValue(e.target.value)} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="rollout-jitter">{t('config.fields.target_version_jitter')}</label>
        <input id="rollout-jitter" className="input mono" placeholder="10m" value={jitter} onChange={(e) => setJitter(e.target.value)} />
      </div>
      {rollout.error ? <ErrorNotice error={rollout.error} /> : null}
    </Dialog>
  )
}

export function ReleasesPanel({ query }: { query: UseQueryResult<OpOut<'listReleases'>, ApiFailure> }) {
  const { t } = useTranslation()
  const file = useRef<HTMLInputElement>(null)
  const [rollout, setRollout] = useState<string | null>(null)
  const [remove, setRemove] = useState<string | null>(null)
  const onError = (e: unknown) => {
    const f = failureText(e, t)
    toast('bad', f.title, f.message)
  }
  const publish = useOpMutation('publishRelease', { onSuccess: (r) => toast('ok', t('config.uploaded', { version: r.version })) })
  const del = useOpMutation('deleteRelease', {
    onSuccess: () => {
      toast('ok', t('config.releaseDeleted', { version: remove ?? '' }))
      setRemove(null)
    },
  })
  const upload = async (f: File) => {
    const data = new Uint8Array(await f.arrayBuffer())
    publish.mutate({ body: { fields: {}, file: { filename: f.name, data } } }, { onError })
  }
  const rows = query.data?.items ?? []
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('config.releases')}</h2>
        <span className="faint">{t('config.releasesHint')}</span>
        <div className="actions">
          <input ref={file} type="file" hidden onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])} />
          <button className="btn small" disabled={publish.isPending} onClick={() => file.current?.click()}>
            <Icon name="download" /> {t('config.upload')}
          </button>
        </div>
      </div>
      <div className="card-body flush">
        {query.error ? <ErrorNotice error={query.error} /> : null}
        {query.isPending ? <Loading /> : null}
        {query.data && rows.length === 0 ? <Empty compact icon="layers" title={t('config.releasesEmpty')} /> : null}
        {rows.length ? (
          <table className="simple">
            <thead>
              <tr>
                <th>{t('config.releaseCols.version')}</th>
                <th className="num">{t('config.releaseCols.size')}</th>
                <th>{t('config.releaseCols.digest')}</th>
                <th>{t('config.releaseCols.modified')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.version}>
                  <td className="mono"><strong>{r.version}</strong></td>
                  <td className="num">{fmtBytes(r.size)}</td>
                  <td className="mono muted ellipsis" style={{ maxWidth: 240 }}>{r.digest}</td>
                  <td><RelTime ts={r.modified} /></td>
                  <td className="num">
                    <button className="btn small" onClick={() => setRollout(r.version)}>{t('config.rollout')}</button>{' '}
                    <ActionMenu items={[{ label: t('common.delete'), icon: 'trash', danger: true, onSelect: () => setRemove(r.version) }]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      {rollout ? <RolloutDialog version={rollout} onClose={() => setRollout(null)} /> : null}
      {remove ? (
        <Dialog
          title={t('config.deleteRelease', { version: remove })}
          onClose={() => { del.reset(); setRemove(null) }}
          footer={<>
            <button className="btn" onClick={() => { del.reset(); setRemove(null) }}>{t('common.cancel')}</button>
            <button className="btn danger solid" disabled={del.isPending || del.error?.code === 'conflict'} onClick={() => del.mutate({ params: { version: remove } })}>{t('common.delete')}</button>
          </>}
        >
          <p style={{ margin: 0 }}>{t('config.deleteReleaseBody')}</p>
          {del.error?.code === 'conflict' ? <div className="notice warn"><Icon name="alert" /><div className="notice-body"><strong>{t('config.releaseInUse')}</strong><span className="muted">{del.error.message}</span></div></div> : del.error ? <ErrorNotice error={del.error} /> : null}
        </Dialog>
      ) : null}
    </section>
  )
}
