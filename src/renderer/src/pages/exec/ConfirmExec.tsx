import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiFailure } from '../../api/failure'
import { Dialog } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { fmtNumber } from '../../lib/format'
import type { Blast } from './blastRadius'

// The blast-radius confirmation: how many PCs, which are offline, and for big fans-out the admin
// types the number to confirm.

const TYPE_TO_CONFIRM = 50
const SHOW_OFFLINE = 30

export function ConfirmExec({ job, blast, waves, hasDeadline, pending, error, onCancel, onConfirm }: {
  job: { id: string; version: string }
  blast: Blast
  waves: { group: string; delay: string }[]
  hasDeadline: boolean
  pending: boolean
  error: ApiFailure | null
  onCancel: () => void
  onConfirm: () => void
}) {
  const { t } = useTranslation()
  const count = blast.pcs.length
  const [typed, setTyped] = useState('')
  const mustType = count >= TYPE_TO_CONFIRM
  const ok = !mustType || typed.replace(/[,\s]/g, '') === String(count)
  return (
    <Dialog
      wide
      title={t('exec.confirmTitle', { job: job.id, n: fmtNumber(count) })}
      onClose={onCancel}
      footer={
        <>
          <button className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button className="btn primary" disabled={!ok || pending} onClick={onConfirm} data-testid="exec-confirm">
            <Icon name="exec" /> {t('exec.confirm', { n: fmtNumber(count) })}
          </button>
        </>
      }
    >
      <p className="blast" data-testid="blast-radius" style={{ margin: 0 }}>
        {blast.all ? t('exec.blastAll', { n: fmtNumber(count) }) : t('exec.blast', { job: job.id, version: job.version, n: fmtNumber(count) })}
      </p>
      {waves.length ? <p className="muted" style={{ margin: 0 }}>{t('exec.wavesSummary', { count: waves.length, delay: waves[waves.length - 1].delay })}</p> : null}
      {!blast.all ? (
        blast.offline.length ? (
          <div className="notice warn" data-testid="blast-offline">
            <Icon name="alert" />
            <div className="notice-body">
              <span>{t('exec.offline', { n: fmtNumber(blast.offline.length), deadline: hasDeadline ? t('exec.offlineDeadline') : '' })}</span>
              <span className="mono muted">
                {blast.offline.slice(0, SHOW_OFFLINE).join(', ')}
                {blast.offline.length > SHOW_OFFLINE ? ` ${t('board.andMore', { count: blast.offline.length - SHOW_OFFLINE })}` : ''}
              </span>
            </div>
          </div>
        ) : (
          <span className="muted">{t('exec.noneOffline')}</span>
        )
      ) : null}
      {mustType ? (
        <div className="field">
          <label htmlFor="exec-type-count">{t('exec.typeToConfirm', { n: fmtNumber(count) })}</label>
          <input id="exec-type-count" className="input mono" inputMode="numeric" value={typed} onChange={(e) => setTyped(e.target.value)} style={{ width: 140 }} />
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </Dialog>
  )
}
