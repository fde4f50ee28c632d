import { useTranslation } from 'react-i18next'
import { fmtNumber } from '../lib/format'

// Stacked progress of an execution: succeeded | failed | running, out of the expected PCs.

export function ProgressBar({ target, success, failure, running = 0, large }: {
  target: number
  success: number
  failure: number
  running?: number
  large?: boolean
}) {
  const { t } = useTranslation()
  const whole = Math.max(target, success + failure + running, 1)
  const pct = (n: number) => `${(100 * n) / whole}%`
  const label = t('executions.progressLabel', { done: fmtNumber(success + failure), total: fmtNumber(target), success: fmtNumber(success), failure: fmtNumber(failure) })
  return (
    <div
      className={large ? 'progress large' : 'progress'}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={whole}
      aria-valuenow={success + failure}
      aria-label={label}
      title={label}
    >
      <span className="seg-ok" style={{ width: pct(success) }} />
      <span className="seg-bad" style={{ width: pct(failure) }} />
      <span className="seg-run" style={{ width: pct(running) }} />
    </div>
  )
}

export function ProgressCell(p: { target: number; success: number; failure: number; running?: number }) {
  return (
    <div className="progress-cell">
      <ProgressBar {...p} />
      <span className="muted nowrap num" style={{ minWidth: 64 }}>
        {fmtNumber(p.success + p.failure)} / {fmtNumber(p.target)}
      </span>
    </div>
  )
}
