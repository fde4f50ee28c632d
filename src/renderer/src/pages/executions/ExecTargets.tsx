import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'

// Where an execution was sent, from its `exec` audit event (subjects in publish order; with
// waves, one subject per wave). The contract has no wave schedule per execution yet.

interface ExecAudit {
  exec_id?: string
  subjects?: string[]
  wave_mode?: boolean
  schedule_id?: string
  status?: string
  unpublished?: string[]
}

export function ExecTargets({ execId, jobId }: { execId: string; jobId: string }) {
  const { t } = useTranslation()
  const q = useOp('listAudit', { query: { action: 'exec', target: jobId, limit: 200 } }, { retry: false })
  const entry = q.data?.items.find((a) => (a.payload as ExecAudit | null)?.exec_id === execId)
  const p = (entry?.payload ?? null) as ExecAudit | null
  if (!p?.subjects?.length) return null
  return (
    <div className="exec-targets" data-testid="exec-targets">
      <span className="muted">{p.wave_mode ? t('board.waves') : t('board.sentTo')}</span>
      <ol className="chips subject-list">
        {p.subjects.map((s, i) => (
          <li key={s} className="chip">
            {p.wave_mode ? <span className="faint">{t('board.wave', { n: i + 1 })}</span> : null}
            <span className="mono">{s}</span>
          </li>
        ))}
      </ol>
      {p.schedule_id ? <span className="faint">{t('board.fromSchedule', { id: p.schedule_id })}</span> : null}
      {p.unpublished?.length ? <span className="bad-text">{t('board.unpublished', { list: p.unpublished.join(', ') })}</span> : null}
    </div>
  )
}
