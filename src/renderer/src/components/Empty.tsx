import type { ReactNode } from 'react'
import { Icon, type IconName } from './Icon'

// Empty states say what the list would hold and what to do to fill it.

export function Empty({ icon = 'search', title, children, action, compact }: {
  icon?: IconName
  title: string
  children?: ReactNode
  action?: ReactNode
  compact?: boolean
}) {
  return (
    <div className={compact ? 'empty compact' : 'empty'} role="status">
      <Icon name={icon} size={compact ? 20 : 28} />
      <strong>{title}</strong>
      {children ? <p>{children}</p> : null}
      {action ? <div className="row" style={{ marginTop: 6 }}>{action}</div> : null}
    </div>
  )
}

export function Loading({ label }: { label?: string }) {
  return (
    <div className="empty compact" role="status" aria-live="polite">
      <span className="spinner" />
      {label ? <span>{label}</span> : null}
    </div>
  )
}
