import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useOpMutation } from '../../api/hooks'
import { Dialog } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { toast } from '../../components/Toasts'
import type { ScheduleRow } from './SchedulesPage'

// Disable (optionally revoking the job too) and delete confirmations for a schedule.

export type ScheduleDialog = { kind: 'disable' | 'delete'; schedule: ScheduleRow }

export function ScheduleDialogs({ dialog, onClose, onDeleted }: { dialog: ScheduleDialog; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation()
  const s = dialog.schedule
  const [cascade, setCascade] = useState(false)
  const disable = useOpMutation('disableSchedule', {
    onSuccess: () => {
      toast('ok', t('schedules.disabled', { id: s.id }))
      onClose()
    },
  })
  const del = useOpMutation('deleteSchedule', {
    onSuccess: () => {
      toast('ok', t('schedules.deleted', { id: s.id }))
      onDeleted()
    },
  })
  if (dialog.kind === 'disable') {
    return (
      <Dialog
        title={t('schedules.disableTitle', { id: s.id })}
        onClose={onClose}
        footer={
          <>
            <button className="btn" onClick={onClose}>{t('common.cancel')}</button>
            <button className="btn primary" disabled={disable.isPending} onClick={() => disable.mutate({ params: { id: s.id }, query: { cascade } })}>
              {t('schedules.disable')}
            </button>
          </>
        }
      >
        <p style={{ margin: 0 }}>{t('schedules.disableBody')}</p>
        <label className="check">
          <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} />
          {t('schedules.cascade', { job: s.job_id })}
        </label>
        {disable.error ? <ErrorNotice error={disable.error} /> : null}
      </Dialog>
    )
  }
  return (
    <Dialog
      title={t('schedules.deleteTitle', { id: s.id })}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button className="btn danger solid" disabled={del.isPending} onClick={() => del.mutate({ params: { id: s.id } })}>
            {t('common.delete')}
          </button>
        </>
      }
    >
      <p style={{ margin: 0 }}>{t('schedules.deleteBody')}</p>
      {del.error ? <ErrorNotice error={del.error} /> : null}
    </Dialog>
  )
}
