import { useTranslation } from 'react-i18next'

// Status badges: one colour language for agents, results and executions.

type Tone = 'ok' | 'bad' | 'warn' | 'run' | 'idle' | 'accent'

export function Badge({ tone = 'idle', children, dot }: { tone?: Tone; children: React.ReactNode; dot?: boolean }) {
  return (
    <span className={`badge ${tone}`}>
      {dot ? <span className={`dot ${tone}`} /> : null}
      {children}
    </span>
  )
}

export function AgentStatus({ online, compact }: { online: boolean; compact?: boolean }) {
  const { t } = useTranslation()
  const label = online ? t('status.online') : t('status.offline')
  if (compact) return <span className={`dot ${online ? 'ok' : ''}`} title={label} aria-label={label} role="img" />
  return (
    <Badge tone={online ? 'ok' : 'idle'} dot>
      {label}
    </Badge>
  )
}

export function resultTone(status: string): Tone {
  return status === 'success' ? 'ok' : status === 'failure' ? 'bad' : status === 'running' ? 'run' : 'idle'
}

export function ResultStatus({ status, exitCode }: { status: string; exitCode?: number | null }) {
  const { t } = useTranslation()
  const label =
    status === 'success' ? t('status.success') : status === 'failure' ? t('status.failure') : status === 'running' ? t('status.running') : status
  return (
    <Badge tone={resultTone(status)} dot={status === 'running'}>
      {label}
      {status === 'failure' && exitCode !== null && exitCode !== undefined ? <span className="mono">({exitCode})</span> : null}
    </Badge>
  )
}

export function execTone(status: string): Tone {
  switch (status) {
    case 'completed':
      return 'ok'
    case 'running':
      return 'run'
    case 'failed':
      return 'bad'
    case 'expired':
      return 'warn'
    default:
      return 'idle'
  }
}

export function ExecStatus({ status }: { status: string }) {
  const { t } = useTranslation()
  const known = ['pending', 'running', 'completed', 'expired', 'failed'] as const
  const label = (known as readonly string[]).includes(status) ? t(`status.${status as (typeof known)[number]}`) : status
  return (
    <Badge tone={execTone(status)} dot={status === 'running'}>
      {label}
    </Badge>
  )
}
