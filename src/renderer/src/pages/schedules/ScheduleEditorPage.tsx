import { useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp, useOpMutation } from '../../api/hooks'
import { ChipInput } from '../../components/ChipInput'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { toast } from '../../components/Toasts'
import { localZone } from '../../lib/format'
import { CronField } from './CronField'
import { timeZones } from './cronHelper'
import { FirePreview } from './FirePreview'
import type { ScheduleRow } from './SchedulesPage'

// Create or edit a schedule. The server validates the cron, the job and the durations (400 with
// a message) and computes the next fires, shown on the right in the chosen zone (previewed as
// the admin types).

type Mode = ScheduleRow['mode']
interface Form {
  id: string
  job_id: string
  cron: string
  target: 'all' | 'groups' | 'pcs'
  groups: string[]
  pcs: string[]
  jitter: string
  mode: Mode
  cooldown: string
  auto_disable_when_done: boolean
  starting_deadline: string
  runs_on: 'backend' | 'agent'
  enabled: boolean
  rollout: ScheduleRow['rollout']
  tz: string
  misfire: 'fire_once' | 'skip'
  misfire_grace: string
}

const EMPTY: Form = { id: '', job_id: '', cron: '0 0 9 * * MON-FRI', target: 'all', groups: [], pcs: [], jitter: '', mode: 'every_tick', cooldown: '', auto_disable_when_done: false, starting_deadline: '', runs_on: 'backend', enabled: true, rollout: undefined, tz: localZone(), misfire: 'fire_once', misfire_grace: '' }

function fromRow(s: ScheduleRow): Form {
  const target = s.target.all ? 'all' : s.target.groups.length ? 'groups' : 'pcs'
  return { id: s.id, job_id: s.job_id, cron: s.cron, target, groups: s.target.groups, pcs: s.target.pcs, jitter: s.jitter ?? '', mode: s.mode, cooldown: s.cooldown ?? '', auto_disable_when_done: s.auto_disable_when_done, starting_deadline: s.starting_deadline ?? '', runs_on: s.runs_on, enabled: s.enabled, rollout: s.rollout, tz: s.tz ?? 'UTC', misfire: s.misfire ?? 'fire_once', misfire_grace: s.misfire_grace ?? '' }
}

function toBody(f: Form) {
  const opt = (v: string) => v.trim() || undefined
  return {
    id: f.id.trim(),
    job_id: f.job_id,
    cron: f.cron.trim(),
    target: { all: f.target === 'all', groups: f.target === 'groups' ? f.groups : [], pcs: f.target === 'pcs' ? f.pcs : [] },
    rollout: f.rollout,
    jitter: opt(f.jitter),
    mode: f.mode,
    cooldown: f.mode === 'every_tick' ? undefined : opt(f.cooldown),
    auto_disable_when_done: f.auto_disable_when_done,
    starting_deadline: opt(f.starting_deadline),
    runs_on: f.runs_on,
    enabled: f.enabled,
    tz: f.tz,
    misfire: f.misfire,
    misfire_grace: opt(f.misfire_grace),
  }
}

export default function ScheduleEditorPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { scheduleId } = useParams()
  const isNew = !scheduleId
  const existing = useOp('getSchedule', { params: { id: scheduleId ?? '' } }, { enabled: !isNew, retry: false })
  const jobs = useOp('listJobs', { query: {} }, { retry: false })
  const groups = useOp('listGroups', undefined, { retry: false })
  const [form, setForm] = useState<Form | null>(isNew ? EMPTY : null)
  const save = useOpMutation('upsertSchedule', {
    onSuccess: (r) => {
      toast('ok', t('scheduleEditor.saved', { id: r.id }))
      if (r.id !== scheduleId) navigate(`/schedules/${encodeURIComponent(r.id)}`, { replace: true })
    },
  })
  useEffect(() => {
    if (existing.data && form === null) setForm(fromRow(existing.data))
  }, [existing.data, form])

  if (!isNew && existing.error?.code === 'not_found') {
    return <div className="page"><Empty icon="schedules" title={t('scheduleEditor.notFound', { id: scheduleId })} action={<Link className="btn" to="/schedules">{t('nav.schedules')}</Link>} /></div>
  }
  if (!form) return <div className="page">{existing.error ? <ErrorNotice error={existing.error} /> : <Loading />}</div>
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch })

  return (
    <div className="page" data-testid="page-schedule-editor">
      <PageHeader
        crumbs={<><Link to="/schedules">{t('nav.schedules')}</Link><Icon name="chevronRight" size={12} /></>}
        title={isNew ? t('scheduleEditor.newTitle') : t('scheduleEditor.editTitle', { id: scheduleId })}
      />
      <div className="schedule-layout">
        <form className="card" onSubmit={(e) => { e.preventDefault(); save.mutate({ body: toBody(form) }) }}>
          <div className="card-body stack">
            <div className="grid-2">
              <div className="field">
                <label htmlFor="sched-id">{t('scheduleEditor.id')}</label>
                <input id="sched-id" className="input mono" value={form.id} onChange={(e) => set({ id: e.target.value })} readOnly={!isNew} required />
                <span className="hint">{t('scheduleEditor.idHint')}</span>
              </div>
              <div className="field">
                <label htmlFor="sched-job">{t('scheduleEditor.job')}</label>
                <select id="sched-job" className="select" value={form.job_id} onChange={(e) => set({ job_id: e.target.value })} required>
                  <option value="">{t('exec.pickJob')}</option>
                  {form.job_id && !jobs.data?.items.some((j) => j.id === form.job_id) ? <option value={form.job_id}>{form.job_id}</option> : null}
                  {(jobs.data?.items ?? []).map((j) => <option key={j.id} value={j.id}>{j.id} — v{j.version}</option>)}
                </select>
              </div>
            </div>
            <div className="grid-2">
              <div className="field">
                <label htmlFor="sched-zone">{t('scheduleEditor.zone')}</label>
                <select id="sched-zone" className="select" value={form.tz} onChange={(e) => set({ tz: e.target.value })}>
                  {[...new Set([form.tz, ...timeZones()])].map((z) => <option key={z} value={z}>{z}</option>)}
                </select>
                <span className="hint">{t('scheduleEditor.zoneHint')}</span>
              </div>
              <div className="field">
                <label htmlFor="sched-misfire">{t('scheduleEditor.misfire')}</label>
                <div className="row">
                  <select id="sched-misfire" className="select" style={{ flex: 1 }} value={form.misfire} onChange={(e) => set({ misfire: e.target.value as Form['misfire'] })}>
                    <option value="fire_once">{t('scheduleEditor.misfireOptions.fire_once')}</option>
                    <option value="skip">{t('scheduleEditor.misfireOptions.skip')}</option>
                  </select>
                  <input className="input mono" style={{ width: 90 }} aria-label={t('scheduleEditor.misfireGrace')} title={t('scheduleEditor.misfireGraceHint')} placeholder="1h" value={form.misfire_grace} onChange={(e) => set({ misfire_grace: e.target.value })} />
                </div>
                <span className="hint">{t('scheduleEditor.misfireGraceHint')}</span>
              </div>
            </div>
            <CronField value={form.cron} onChange={(cron) => set({ cron })} zone={form.tz} />
            <div className="field">
              <span className="label">{t('scheduleEditor.targets')}</span>
              <div className="segmented" role="radiogroup" aria-label={t('scheduleEditor.targets')}>
                {(['all', 'groups', 'pcs'] as const).map((m) => (
                  <button type="button" key={m} role="radio" aria-checked={form.target === m} aria-pressed={form.target === m} onClick={() => set({ target: m })}>
                    {t(m === 'all' ? 'exec.targetAll' : m === 'groups' ? 'exec.targetGroups' : 'exec.targetPcs')}
                  </button>
                ))}
              </div>
              {form.target === 'groups' ? <ChipInput label={t('exec.targetGroups')} value={form.groups} onChange={(g) => set({ groups: g })} suggestions={(groups.data?.items ?? []).map((g) => g.name)} placeholder={t('exec.groupsPlaceholder')} /> : null}
              {form.target === 'pcs' ? <ChipInput label={t('exec.targetPcs')} value={form.pcs} onChange={(p) => set({ pcs: p })} placeholder={t('exec.pcsPlaceholder')} /> : null}
              {form.rollout?.waves.length ? <span className="hint">{t('exec.wavesSummary', { count: form.rollout.waves.length, delay: form.rollout.waves[form.rollout.waves.length - 1].delay })}</span> : null}
            </div>
            <div className="grid-2">
              <div className="field">
                <label htmlFor="sched-mode">{t('scheduleEditor.mode')}</label>
                <select id="sched-mode" className="select" value={form.mode} onChange={(e) => set({ mode: e.target.value as Mode })}>
                  {(['every_tick', 'once_per_pc', 'once_per_target'] as const).map((m) => <option key={m} value={m}>{t(`schedules.modes.${m}`)}</option>)}
                </select>
                <span className="hint">{t(`scheduleEditor.modeHints.${form.mode}`)}</span>
              </div>
              <div className="field">
                <label htmlFor="sched-runs-on">{t('scheduleEditor.runsOn')}</label>
                <select id="sched-runs-on" className="select" value={form.runs_on} onChange={(e) => set({ runs_on: e.target.value as Form['runs_on'] })}>
                  <option value="backend">{t('scheduleEditor.runsOnBackend')}</option>
                  <option value="agent">{t('scheduleEditor.runsOnAgent')}</option>
                </select>
              </div>
            </div>
            {form.mode !== 'every_tick' ? (
              <div className="grid-2">
                <div className="field">
                  <label htmlFor="sched-cooldown">{t('scheduleEditor.cooldown')}</label>
                  <input id="sched-cooldown" className="input mono" placeholder="7d" value={form.cooldown} onChange={(e) => set({ cooldown: e.target.value })} />
                  <span className="hint">{t('scheduleEditor.cooldownHint')}</span>
                </div>
                <label className="check" style={{ alignSelf: 'center' }}>
                  <input type="checkbox" checked={form.auto_disable_when_done} onChange={(e) => set({ auto_disable_when_done: e.target.checked })} />
                  {t('scheduleEditor.autoDisable')}
                </label>
              </div>
            ) : null}
            <div className="grid-2">
              <div className="field">
                <label htmlFor="sched-jitter">{t('exec.jitter')}</label>
                <input id="sched-jitter" className="input mono" placeholder="30s" value={form.jitter} onChange={(e) => set({ jitter: e.target.value })} />
                <span className="hint">{t('exec.jitterHint')}</span>
              </div>
              <div className="field">
                <label htmlFor="sched-deadline">{t('scheduleEditor.startingDeadline')}</label>
                <input id="sched-deadline" className="input mono" placeholder="1h" value={form.starting_deadline} onChange={(e) => set({ starting_deadline: e.target.value })} />
                <span className="hint">{t('scheduleEditor.startingDeadlineHint')}</span>
              </div>
            </div>
            <label className="check">
              <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
              {t('scheduleEditor.enabled')}
            </label>
            {save.error ? <div data-testid="schedule-error"><ErrorNotice error={save.error} title={t('scheduleEditor.validation')} /></div> : null}
            <div className="form-actions">
              <button className="btn primary" type="submit" disabled={save.isPending || !form.id.trim() || !form.job_id} data-testid="schedule-save">
                {save.isPending ? t('common.saving') : t('scheduleEditor.save')}
              </button>
            </div>
          </div>
        </form>
        <FirePreview
          scheduleId={isNew ? null : (scheduleId ?? null)}
          cron={form.cron}
          zone={form.tz}
          saved={!isNew && existing.data ? { cron: existing.data.cron, zone: existing.data.tz ?? 'UTC' } : null}
        />
      </div>
    </div>
  )
}
