import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp } from '../api/hooks'
import { Icon, type IconName } from '../components/Icon'
import { AgentStatus } from '../components/Status'
import { resolvedLanguage, setLanguageChoice } from '../i18n'
import { setThemeChoice, resolvedTheme } from '../theme/theme'
import { NAV } from './nav'

// Ctrl/Cmd+K: jump to a page, find a PC by id or hostname, open a job, or run a common action.

interface Entry {
  id: string
  group: 'pages' | 'actions' | 'pcs' | 'jobs'
  label: string
  hint?: string
  icon: IconName
  extra?: React.ReactNode
  run: () => void
}

const GROUPS: Entry['group'][] = ['pcs', 'pages', 'jobs', 'actions']

const matches = (q: string, ...texts: (string | null | undefined)[]) => {
  if (!q) return true
  const needle = q.toLowerCase()
  return texts.some((s) => s?.toLowerCase().includes(needle))
}

export function CommandPalette({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [q, setQ] = useState('')
  const [active, setActive] = useState(0)
  const deferred = useDeferredValue(q.trim())
  const list = useRef<HTMLDivElement>(null)
  const pcs = useOp('listAgents', { query: { q: deferred || undefined, limit: 8, sort: 'pc_id' } }, { enabled: deferred.length > 0, keepPrevious: true })
  const jobs = useOp('listJobs', { query: {} }, { staleTime: 60_000, retry: false })

  const go = (path: string) => () => {
    onClose()
    navigate(path)
  }

  const entries = useMemo<Entry[]>(() => {
    const out: Entry[] = []
    for (const n of NAV) {
      const label = t(`nav.${n.key}`)
      if (matches(deferred, label, n.key)) out.push({ id: `page:${n.path}`, group: 'pages', label, icon: n.icon, hint: n.hotkey ? `g ${n.hotkey}` : undefined, run: go(n.path) })
    }
    const actions: Entry[] = [
      { id: 'a:exec', group: 'actions', label: t('palette.actionExec'), icon: 'exec', run: go('/exec') },
      { id: 'a:run', group: 'actions', label: t('palette.actionRun'), icon: 'run', run: go('/run') },
      { id: 'a:job', group: 'actions', label: t('palette.actionNewJob'), icon: 'plus', run: go('/jobs/new') },
      { id: 'a:sched', group: 'actions', label: t('palette.actionNewSchedule'), icon: 'plus', run: go('/schedules/new') },
      { id: 'a:theme', group: 'actions', label: t('palette.actionTheme'), icon: 'moon', run: () => setThemeChoice(resolvedTheme() === 'dark' ? 'light' : 'dark') },
      { id: 'a:lang', group: 'actions', label: t('palette.actionLanguage'), icon: 'settings', run: () => void setLanguageChoice(resolvedLanguage() === 'ja' ? 'en' : 'ja') },
    ]
    out.push(...actions.filter((a) => matches(deferred, a.label)))
    if (deferred) {
      for (const a of pcs.data?.items ?? []) {
        out.push({
          id: `pc:${a.pc_id}`,
          group: 'pcs',
          label: a.pc_id,
          hint: [a.hostname, a.agent_version].filter(Boolean).join(' · '),
          icon: 'agents',
          extra: <AgentStatus online={a.online} compact />,
          run: go(`/agents/${encodeURIComponent(a.pc_id)}`),
        })
      }
      for (const j of (jobs.data?.items ?? []).filter((j) => matches(deferred, j.id, j.description)).slice(0, 6)) {
        out.push({ id: `job:${j.id}`, group: 'jobs', label: j.id, hint: j.description ?? undefined, icon: 'jobs', run: go(`/jobs/${encodeURIComponent(j.id)}`) })
      }
    }
    return GROUPS.flatMap((g) => out.filter((e) => e.group === g))
  }, [deferred, pcs.data, jobs.data, t])

  useEffect(() => setActive(0), [deferred])
  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [active])

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(entries.length - 1, a + 1))
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1))
    else if (e.key === 'Enter') entries[active]?.run()
    else if (e.key === 'Escape') onClose()
    else return
    e.preventDefault()
  }

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog palette" role="dialog" aria-modal="true" aria-label={t('shell.search')}>
        <div className="palette-input">
          <Icon name="search" />
          <input
            autoFocus
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={onKey}
            placeholder={t('palette.placeholder')}
            role="combobox"
            aria-expanded="true"
            aria-controls="palette-list"
            aria-activedescendant={entries[active] ? `pe-${active}` : undefined}
          />
        </div>
        <div className="palette-list" id="palette-list" role="listbox" ref={list}>
          {entries.length === 0 ? <div className="empty compact">{t('palette.noMatch', { q })}</div> : null}
          {GROUPS.map((g) => {
            const items = entries.filter((e) => e.group === g)
            if (!items.length) return null
            return (
              <div key={g} role="group" aria-label={t(`palette.${g}`)}>
                <div className="palette-group">{t(`palette.${g}`)}</div>
                {items.map((e) => {
                  const i = entries.indexOf(e)
                  return (
                    <div
                      key={e.id}
                      id={`pe-${i}`}
                      data-index={i}
                      role="option"
                      aria-selected={i === active}
                      className={i === active ? 'palette-item active' : 'palette-item'}
                      onMouseMove={() => setActive(i)}
                      onClick={e.run}
                    >
                      <Icon name={e.icon} />
                      <span className="ellipsis">{e.label}</span>
                      {e.extra}
                      {e.hint ? <span className="palette-hint ellipsis">{e.hint}</span> : null}
                    </div>
                  )
                })}
              </div>
            )
          })}
        </div>
        <div className="palette-foot">{t('palette.hint')}</div>
      </div>
    </div>
  )
}
