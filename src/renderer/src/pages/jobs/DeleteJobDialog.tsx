import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp, useOpMutation } from '../../api/hooks'
import { Dialog } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { toast } from '../../components/Toasts'

// Delete = revoke, then remove. A 409 means a schedule still names the job: say which.

export function DeleteJobDialog({ jobId, onClose, onDeleted }: { jobId: string; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation()
  const del = useOpMutation('deleteJob', {
    onSuccess: () => {
      toast('ok', t('jobEditor.deleted', { id: jobId }))
      onDeleted()
    },
  })
  const inUse = del.error?.code === 'conflict'
  const schedules = useOp('listSchedules', { query: {} }, { enabled: inUse, retry: false })
  const using = (schedules.data?.items ?? []).filter((s) => s.job_id === jobId)
  return (
    <Dialog
      title={t('jobEditor.deleteTitle', { id: jobId })}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn danger solid" disabled={del.isPending || inUse} onClick={() => del.mutate({ params: { id: jobId } })} data-testid="job-delete-confirm">
            <Icon name="trash" /> {t('common.delete')}
          </button>
        </>
      }
    >
      <p style={{ margin: 0 }}>{t('jobEditor.deleteBody')}</p>
      {inUse ? (
        <div className="notice warn" data-testid="job-in-use">
          <Icon name="alert" />
          <div className="notice-body">
            <strong>{t('jobEditor.inUse')}</strong>
            <ul className="plain-list">
              {using.map((s) => (
                <li key={s.id}>
                  <Link to={`/schedules/${encodeURIComponent(s.id)}`} onClick={onClose}>
                    {s.id}
                  </Link>{' '}
                  <span className="mono faint">{s.cron}</span>
                </li>
              ))}
            </ul>
            <span className="muted">{del.error?.message}</span>
          </div>
        </div>
      ) : del.error ? (
        <ErrorNotice error={del.error} />
      ) : null}
    </Dialog>
  )
}
