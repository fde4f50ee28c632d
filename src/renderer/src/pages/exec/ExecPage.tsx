import { useMemo, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp, useOpMutation } from '../../api/hooks'
import { useConnection } from '../../app/connection'
import { ChipInput } from '../../components/ChipInput'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { toast } from '../../components/Toasts'
import { fromLocalInput } from '../../lib/timeRange'
import { isOnline } from '../agents/liveness'
import { blastRadius, fanoutBody, type Plan } from './blastRadius'
import { ConfirmExec } from './ConfirmExec'

// Send a catalog job to PCs, groups or everyone, with jitter, deadline and waves; a confirmation
// states the blast radius (how many PCs, which are offline) before anything is published.

export default function ExecPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const conn = useConnection()
  const [params] = useSearchParams()
  const initialPcs = (params.get('pcs') ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const [jobId, setJobId] = useState(params.get('job') ?? '')
  const [plan, setPlan] = useState<Plan>({ mode: initialPcs.length ? 'pcs' : params.get('group') ? 'groups' : 'all', groups: params.get('group') ? [params.get('group')!] : [], pcs: initialPcs, waves: [] })
  const [jitter, setJitter] = useState('')
  const [deadline, setDeadline] = useState('')
  const [review, setReview] = useState(false)

  const jobs = useOp('listJobs', { query: {} }, { retry: false })
  const status = useOp('scriptsStatus', undefined, { retry: false })
  const agents = useOp('listAgents', { query: {} })
  const groups = useOp('listGroups', undefined, { retry: false, enabled: conn.nats === 'connected' })
  const exec = useOpMutation('execJob', {
    onSuccess: (r) => {
      toast('ok', t('exec.started', { job: r.job_id, count: r.target_count }))
      navigate(`/executions/${encodeURIComponent(r.exec_id)}`)
    },
  })

  const job = jobs.data?.items.find((j) => j.id === jobId)
  const online = useMemo(() => new Set((agents.data?.items ?? []).filter((a) => isOnline(a)).map((a) => a.pc_id)), [agents.data])
  const known = useMemo(() => new Set((agents.data?.items ?? []).map((a) => a.pc_id)), [agents.data])
  const members = useMemo(() => new Map((groups.data?.items ?? []).map((g) => [g.name, g.members])), [groups.data])
  const blast = blastRadius(plan, members, online)
  const unknownPcs = plan.mode === 'pcs' && agents.data ? plan.pcs.filter((p) => !known.has(p)) : []
  const hasTarget = plan.waves.some((w) => w.group.trim()) || plan.mode === 'all' || (plan.mode === 'groups' ? plan.groups.length > 0 : plan.pcs.length > 0)
  const body = fanoutBody(plan, jitter, fromLocalInput(deadline))
  const setWave = (i: number, patch: Partial<Plan['waves'][number]>) => setPlan({ ...plan, waves: plan.waves.map((w, j) => (j === i ? { ...w, ...patch } : w)) })

  return (
    <div className="page form-page" data-testid="page-exec">
      <PageHeader title={t('exec.title')} subtitle={t('exec.subtitle')} />
      {jobs.error ? <ErrorNotice error={jobs.error} /> : null}
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault()
          if (job && hasTarget) setReview(true)
        }}
      >
        <section className="card">
          <div className="card-head"><h2>{t('exec.job')}</h2></div>
          <div className="card-body stack">
            <select className="select" aria-label={t('exec.job')} value={jobId} onChange={(e) => setJobId(e.target.value)} data-testid="exec-job">
              <option value="">{t('exec.pickJob')}</option>
              {(jobs.data?.items ?? []).map((j) => (
                <option key={j.id} value={j.id}>
                  {j.id} — v{j.version}
                  {j.description ? ` · ${j.description}` : ''}
                </option>
              ))}
            </select>
            {jobs.data && jobs.data.items.length === 0 ? (
              <span className="muted">
                {t('exec.noJobs')} <Link to="/jobs/new">{t('palette.actionNewJob')}</Link>
              </span>
            ) : null}
            {job ? <pre className="script-preview">{job.execute.script}</pre> : null}
            {job && status.data?.[job.id] === 'REVOKED' ? <div className="notice warn"><Icon name="alert" /><span>{t('exec.revokedJob')}</span></div> : null}
          </div>
        </section>
        <section className="card">
          <div className="card-head"><h2>{t('exec.targets')}</h2></div>
          <div className="card-body stack">
            <div className="segmented" role="radiogroup" aria-label={t('exec.targets')}>
              {(['all', 'groups', 'pcs'] as const).map((m) => (
                <button type="button" key={m} role="radio" aria-checked={plan.mode === m} aria-pressed={plan.mode === m} onClick={() => setPlan({ ...plan, mode: m })}>
                  {t(m === 'all' ? 'exec.targetAll' : m === 'groups' ? 'exec.targetGroups' : 'exec.targetPcs')}
                </button>
              ))}
            </div>
            {plan.mode === 'all' ? <p className="muted" style={{ margin: 0 }}>{t('exec.allHint')}</p> : null}
            {plan.mode === 'groups' ? (
              <ChipInput label={t('exec.targetGroups')} value={plan.groups} onChange={(g) => setPlan({ ...plan, groups: g })} suggestions={[...members.keys()]} placeholder={t('exec.groupsPlaceholder')} testId="exec-groups" />
            ) : null}
            {plan.mode === 'pcs' ? (
              <>
                <ChipInput label={t('exec.targetPcs')} value={plan.pcs} onChange={(p) => setPlan({ ...plan, pcs: p })} suggestions={[...known]} placeholder={t('exec.pcsPlaceholder')} invalid={unknownPcs} testId="exec-pcs" />
                {unknownPcs.length ? <span className="error-text">{t('exec.unknownPcs', { list: unknownPcs.join(', ') })}</span> : null}
              </>
            ) : null}
          </div>
        </section>
        <section className="card">
          <div className="card-head"><h2>{t('exec.options')}</h2></div>
          <div className="card-body stack">
            <div className="grid-2">
              <div className="field">
                <label htmlFor="exec-jitter">{t('exec.jitter')}</label>
                <input id="exec-jitter" className="input mono" placeholder="30s" value={jitter} onChange={(e) => setJitter(e.target.value)} />
                <span className="hint">{t('exec.jitterHint')}</span>
              </div>
              <div className="field">
                <label htmlFor="exec-deadline">{t('exec.deadline')}</label>
                <input id="exec-deadline" className="input" type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
                <span className="hint">{t('exec.deadlineHint')}</span>
              </div>
            </div>
            <div className="field">
              <span className="label">{t('exec.waves')}</span>
              <span className="hint">{t('exec.wavesHint')}</span>
              {plan.waves.map((w, i) => (
                <div className="row" key={i}>
                  <span className="faint nowrap" style={{ width: 64 }}>{t('board.wave', { n: i + 1 })}</span>
                  <input className="input" list="exec-wave-groups" aria-label={t('exec.waveGroup')} placeholder={t('exec.waveGroup')} value={w.group} onChange={(e) => setWave(i, { group: e.target.value })} />
                  <input className="input mono" style={{ width: 100 }} aria-label={t('exec.waveDelay')} placeholder="0s" value={w.delay} onChange={(e) => setWave(i, { delay: e.target.value })} />
                  <button type="button" className="btn ghost small icon-only" aria-label={t('common.remove')} onClick={() => setPlan({ ...plan, waves: plan.waves.filter((_, j) => j !== i) })}>
                    <Icon name="trash" />
                  </button>
                </div>
              ))}
              <datalist id="exec-wave-groups">
                {[...members.keys()].map((g) => <option key={g} value={g} />)}
              </datalist>
              <div>
                <button type="button" className="btn small" onClick={() => setPlan({ ...plan, waves: [...plan.waves, { group: '', delay: plan.waves.length ? '1h' : '0s' }] })}>
                  <Icon name="plus" /> {t('exec.addWave')}
                </button>
              </div>
            </div>
          </div>
        </section>
        <div className="form-actions">
          {!hasTarget ? <span className="muted">{t('exec.noTargets')}</span> : null}
          <button className="btn primary" type="submit" disabled={!job || !hasTarget} data-testid="exec-review">
            <Icon name="exec" /> {t('exec.review')}
          </button>
        </div>
      </form>
      {review && job ? (
        <ConfirmExec
          job={job}
          blast={blast}
          waves={body.rollout?.waves ?? []}
          hasDeadline={!!body.deadline_at}
          pending={exec.isPending}
          error={exec.error}
          onCancel={() => {
            exec.reset()
            setReview(false)
          }}
          onConfirm={() => exec.mutate({ params: { job_id: job.id }, body })}
        />
      ) : null}
    </div>
  )
}
