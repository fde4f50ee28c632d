import { useEffect, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { Icon } from './Icon'

// Short confirmations and errors after an action ("Saved", "Ping answered in 210 ms").

export interface Toast {
  id: number
  tone: 'ok' | 'bad' | 'info'
  text: string
  detail?: string
}

let toasts: Toast[] = []
let seq = 0
const listeners = new Set<() => void>()
const emit = () => listeners.forEach((f) => f())

export function toast(tone: Toast['tone'], text: string, detail?: string): void {
  const t = { id: ++seq, tone, text, detail }
  toasts = [...toasts.slice(-3), t]
  emit()
}

function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id)
  emit()
}

function ToastItem({ t: item }: { t: Toast }) {
  const { t } = useTranslation()
  useEffect(() => {
    const timer = setTimeout(() => dismiss(item.id), item.tone === 'bad' ? 9000 : 4500)
    return () => clearTimeout(timer)
  }, [item])
  return (
    <div className={`toast ${item.tone}`} role={item.tone === 'bad' ? 'alert' : 'status'}>
      <Icon name={item.tone === 'bad' ? 'alert' : 'check'} />
      <div className="toast-body">
        <div>{item.text}</div>
        {item.detail ? <div className="muted">{item.detail}</div> : null}
      </div>
      <button className="btn ghost small icon-only" onClick={() => dismiss(item.id)} aria-label={t('common.close')}>
        <Icon name="close" />
      </button>
    </div>
  )
}

export function Toasts() {
  const list = useSyncExternalStore(
    (f) => {
      listeners.add(f)
      return () => listeners.delete(f)
    },
    () => toasts,
  )
  return (
    <div className="toasts" aria-live="polite">
      {list.map((t) => (
        <ToastItem key={t.id} t={t} />
      ))}
    </div>
  )
}
