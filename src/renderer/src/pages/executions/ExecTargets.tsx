import { useTranslation } from 'react-i18next'
import type { ExecutionWave } from '@shared/api/executions'
import { Badge } from '../../components/Status'
import { fmtDateTime, fmtRelative } from '../../lib/format'

// Where an execution was sent and when: its subjects in plan order (with a rollout, one per
// wave), each with its due time, its status and when it went out. From getExecution; the core
// pushes execution.progress when a delayed wave goes out, so the board updates by itself.

const TONE = { sent: 'ok', pending: 'run', cancelled: 'idle', failed: 'bad' } as const

export interface ExecTargetsProps {
  waves: ExecutionWave[]
  waveMode: boolean
  scheduleId: string | null
  now: number
}

export function ExecTargets({ waves, waveMode, scheduleId, now }: ExecTargetsProps) {
  const { t } = useTranslation()
  if (!waves.length) return scheduleId ? <div className="exec-targets faint">{t('board.fromSchedule', { id: scheduleId })}</div> : null
  return (
    <div className="exec-targets" data-testid="exec-targets">
      <span className="muted">{waveMode ? t('board.waves') : t('board.sentTo')}</span>
      <ol className="wave-list">
        {waves.map((w) => (
          <li key={w.index} className="wave-row" data-testid="wave" data-status={w.status}>
            {waveMode ? <span className="faint wave-n">{t('board.wave', { n: w.index + 1 })}</span> : null}
            <span className="mono wave-subject" title={w.subject}>
              {w.kind === 'group' ? w.group : w.kind === 'pc' ? w.pc_id : t('board.allPcs')}
            </span>
            <Badge tone={TONE[w.status]} dot={w.status === 'pending'}>
              {t(`board.waveStatus.${w.status}`)}
            </Badge>
            <span className="faint wave-time" data-testid="wave-time">
              {w.status === 'sent'
                ? t('board.waveAt', { when: fmtDateTime(w.sent_at, { seconds: true }) })
                : t('board.waveDue', { when: `${fmtDateTime(w.due_at, { seconds: true })} (${fmtRelative(w.due_at, now)})` })}
            </span>
            {w.last_error ? (
              <span className="bad-text wave-error">{t('board.waveError', { count: w.attempts, error: w.last_error })}</span>
            ) : null}
          </li>
        ))}
      </ol>
      {scheduleId ? <span className="faint">{t('board.fromSchedule', { id: scheduleId })}</span> : null}
    </div>
  )
}
