import { fmtDateTime, fmtRelative } from '../lib/format'
import { useNow } from '../lib/useNow'

// A timestamp shown relative ("3 min ago"), with the exact local time on hover.

export function RelTime({ ts, className }: { ts: string | null | undefined; className?: string }) {
  const now = useNow()
  if (!ts) return <span className={className ? `faint ${className}` : 'faint'}>—</span>
  return (
    <time className={className} dateTime={ts} title={fmtDateTime(ts, { seconds: true })}>
      {fmtRelative(ts, now)}
    </time>
  )
}

export function AbsTime({ ts, seconds }: { ts: string | null | undefined; seconds?: boolean }) {
  if (!ts) return <span className="faint">—</span>
  return (
    <time dateTime={ts} title={ts}>
      {fmtDateTime(ts, { seconds })}
    </time>
  )
}
