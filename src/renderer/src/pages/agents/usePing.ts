import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { transport } from '../../api/client'
import { failureText } from '../../components/ErrorNotice'
import { toast } from '../../components/Toasts'
import { fmtDateTime } from '../../lib/format'

// Ping = wait for the PC's next heartbeat (kanade 0.30 semantics), reported as a toast.

export function usePing(): (pcId: string) => void {
  const { t } = useTranslation()
  return useCallback(
    (pcId: string) => {
      toast('info', t('agents.ping.sent', { pc: pcId }))
      transport
        .call('pingAgent', { params: { pc_id: pcId }, query: { wait_secs: 45 } })
        .then((r) => toast('ok', t('agents.ping.ok', { pc: pcId }), t('agents.ping.okDetail', { at: fmtDateTime(r.heartbeat.at, { seconds: true }) })))
        .catch((e: unknown) => toast('bad', t('agents.ping.failed', { pc: pcId }), failureText(e, t).message))
    },
    [t],
  )
}
