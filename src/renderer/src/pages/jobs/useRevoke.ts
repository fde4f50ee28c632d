import { useTranslation } from 'react-i18next'
import { useOpMutation } from '../../api/hooks'
import { failureText } from '../../components/ErrorNotice'
import { toast } from '../../components/Toasts'

// Revoke / unrevoke a manifest id (KV script_status), with a toast either way.

export function useRevoke() {
  const { t } = useTranslation()
  const onError = (e: unknown) => {
    const f = failureText(e, t)
    toast('bad', f.title, f.message)
  }
  const revoke = useOpMutation('revokeScript', { onSuccess: (_d, i) => toast('ok', t('jobs.revoked', { id: i.params?.cmd_id ?? '' })) })
  const unrevoke = useOpMutation('unrevokeScript', { onSuccess: (_d, i) => toast('ok', t('jobs.unrevoked', { id: i.params?.cmd_id ?? '' })) })
  return {
    pending: revoke.isPending || unrevoke.isPending,
    set: (id: string, revoked: boolean) => (revoked ? revoke : unrevoke).mutate({ params: { cmd_id: id } }, { onError }),
  }
}
