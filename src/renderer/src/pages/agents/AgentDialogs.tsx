import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isValidToken } from '@shared/nats-names'
import { useOp, useOpMutation } from '../../api/hooks'
import { Dialog } from '../../components/Dialog'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { toast } from '../../components/Toasts'
import { ConfigLayers } from './ConfigLayers'

// Row-action dialogs of the roster and the agent page: edit groups, effective config.

export type AgentDialog = { kind: 'groups' | 'config'; pcId: string }

export function AgentDialogs({ dialog, onClose }: { dialog: AgentDialog; onClose: () => void }) {
  return dialog.kind === 'groups' ? <GroupsDialog pcId={dialog.pcId} onClose={onClose} /> : <ConfigDialog pcId={dialog.pcId} onClose={onClose} />
}

function ConfigDialog({ pcId, onClose }: { pcId: string; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Dialog title={t('effective.title', { pc: pcId })} onClose={onClose} wide>
      <ConfigLayers pcId={pcId} />
    </Dialog>
  )
}

export function GroupsDialog({ pcId, onClose }: { pcId: string; onClose: () => void }) {
  const { t } = useTranslation()
  const current = useOp('getAgentGroups', { params: { pc_id: pcId } }, { retry: false })
  const known = useOp('listGroups', undefined, { retry: false })
  const save = useOpMutation('putAgentGroups', {
    onSuccess: () => {
      toast('ok', t('groupsEditor.saved', { pc: pcId }))
      onClose()
    },
  })
  const [groups, setGroups] = useState<string[] | null>(null)
  const [draft, setDraft] = useState('')
  useEffect(() => {
    if (current.data && groups === null) setGroups(current.data.groups)
  }, [current.data, groups])

  const name = draft.trim()
  const invalid = name !== '' && !isValidToken(name)
  const add = () => {
    if (!name || invalid || !groups) return
    if (!groups.includes(name)) setGroups([...groups, name].sort())
    setDraft('')
  }

  return (
    <Dialog
      title={t('groupsEditor.title', { pc: pcId })}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn primary" disabled={!groups || save.isPending} onClick={() => groups && save.mutate({ params: { pc_id: pcId }, body: { groups } })}>
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <p className="muted" style={{ margin: 0 }}>
        {t('groupsEditor.hint')}
      </p>
      {current.error ? <ErrorNotice error={current.error} /> : null}
      {save.error ? <ErrorNotice error={save.error} /> : null}
      {!groups && !current.error ? <Loading /> : null}
      {groups ? (
        groups.length ? (
          <div className="chips" data-testid="group-chips">
            {groups.map((g) => (
              <span className="chip" key={g}>
                {g}
                <button aria-label={`${t('common.remove')} ${g}`} onClick={() => setGroups(groups.filter((x) => x !== g))}>
                  <Icon name="close" size={11} />
                </button>
              </span>
            ))}
          </div>
        ) : (
          <span className="faint">{t('groupsEditor.none')}</span>
        )
      ) : null}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          add()
        }}
      >
        <input
          className={invalid ? 'input invalid' : 'input'}
          list="known-groups"
          placeholder={t('groupsEditor.placeholder')}
          aria-label={t('groupsEditor.add')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          style={{ flex: 1 }}
        />
        <datalist id="known-groups">
          {(known.data?.items ?? []).map((g) => (
            <option key={g.name} value={g.name} />
          ))}
        </datalist>
        <button className="btn" type="submit" disabled={!name || invalid}>
          <Icon name="plus" /> {t('groupsEditor.add')}
        </button>
      </form>
      {invalid ? <span className="error-text">{t('groupsEditor.invalid')}</span> : null}
    </Dialog>
  )
}
