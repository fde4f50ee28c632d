import { lazy, Suspense, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { parse, stringify } from 'yaml'
import { transport } from '../../api/client'
import { useOp, useOpMutation } from '../../api/hooks'
import { Empty, Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'
import { toast } from '../../components/Toasts'
import { DeleteJobDialog } from './DeleteJobDialog'
import { JobInventory } from './JobInventory'
import { useRevoke } from './useRevoke'

const YamlEditor = lazy(() => import('../../components/YamlEditor'))

// Create or edit a manifest as YAML. Over HTTP the YAML goes to the API as is, so its validation
// message (naming the field) is what the admin reads; the desktop bridge takes the parsed object.

const TEMPLATE = `id: disk-report
version: 1.0.0
description: Free space on every fixed disk
execute:
  shell: powershell
  timeout: 60s
  run_as: system
  script: |
    Get-PSDrive -PSProvider FileSystem |
      Select-Object Name, Used, Free |
      ConvertTo-Json
`

export default function JobEditorPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { jobId } = useParams()
  const isNew = !jobId
  const job = useOp('getJob', { params: { id: jobId ?? '' } }, { enabled: !isNew, retry: false })
  const status = useOp('scriptsStatus', undefined, { retry: false })
  const revoke = useRevoke()
  const [text, setText] = useState<string | null>(isNew ? TEMPLATE : null)
  const [saved, setSaved] = useState<string | null>(isNew ? TEMPLATE : null)
  const [localError, setLocalError] = useState<string | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)

  useEffect(() => {
    if (job.data && text === null) {
      const y = stringify(job.data, { lineWidth: 0 })
      setText(y)
      setSaved(y)
    }
  }, [job.data, text])

  const save = useOpMutation('upsertJob', {
    onSuccess: (r) => {
      toast('ok', t('jobEditor.saved', { id: r.id, version: r.version }))
      setSaved(text)
      if (r.id !== jobId) navigate(`/jobs/${encodeURIComponent(r.id)}`, { replace: true })
    },
  })

  const submit = () => {
    if (text === null) return
    setLocalError(null)
    if (transport.kind === 'http') {
      save.mutate({ body: text as never })
      return
    }
    try {
      save.mutate({ body: parse(text) as never })
    } catch (e) {
      setLocalError(e instanceof Error ? e.message : String(e))
    }
  }

  if (!isNew && job.error?.code === 'not_found') {
    return (
      <div className="page">
        <Empty icon="jobs" title={t('jobEditor.notFound', { id: jobId })} action={<Link className="btn" to="/jobs">{t('nav.jobs')}</Link>} />
      </div>
    )
  }
  const revoked = !isNew && status.data?.[jobId] === 'REVOKED'
  const dirty = text !== null && text !== saved
  return (
    <div className="page" data-testid="page-job-editor">
      <PageHeader
        crumbs={
          <>
            <Link to="/jobs">{t('nav.jobs')}</Link>
            <Icon name="chevronRight" size={12} />
          </>
        }
        title={
          <span className="row">
            {isNew ? t('jobEditor.newTitle') : t('jobEditor.editTitle', { id: jobId })}
            {!isNew && status.data ? <Badge tone={revoked ? 'bad' : 'ok'}>{revoked ? t('status.revoked') : t('status.active')}</Badge> : null}
            {dirty ? <Badge tone="warn">{t('jobEditor.unsaved')}</Badge> : null}
          </span>
        }
        actions={
          !isNew ? (
            <>
              <Link className="btn" to={`/exec?job=${encodeURIComponent(jobId)}`}>
                <Icon name="exec" /> {t('jobEditor.exec')}
              </Link>
              <button className="btn" disabled={revoke.pending} onClick={() => revoke.set(jobId, !revoked)}>
                <Icon name={revoked ? 'play' : 'stop'} /> {revoked ? t('jobs.unrevoke') : t('jobs.revoke')}
              </button>
              <button className="btn danger" onClick={() => setConfirmDelete(true)}>
                <Icon name="trash" /> {t('jobEditor.delete')}
              </button>
            </>
          ) : null
        }
      />
      {job.error && job.error.code !== 'not_found' ? <ErrorNotice error={job.error} onRetry={() => job.refetch()} /> : null}
      <section className="card">
        <div className="card-head">
          <h2>{t('jobEditor.yaml')}</h2>
          <div className="actions">
            <button className="btn primary" onClick={submit} disabled={text === null || save.isPending} data-testid="job-save">
              {save.isPending ? t('common.saving') : t('jobEditor.save')}
            </button>
          </div>
        </div>
        <div className="card-body stack">
          <p className="faint" style={{ margin: 0 }}>{t('jobEditor.help')}</p>
          {localError ? <ErrorNotice error={{ error: 'bad_request', message: localError }} title={t('jobEditor.parseError')} /> : null}
          {save.error ? (
            <div data-testid="job-error">
              <ErrorNotice error={save.error} title={t('jobEditor.validation')} />
            </div>
          ) : null}
          {text === null ? (
            <Loading />
          ) : (
            <Suspense fallback={<Loading />}>
              <YamlEditor value={text} onChange={setText} onSave={submit} label={t('jobEditor.yaml')} />
            </Suspense>
          )}
        </div>
      </section>
      {!isNew && job.data?.inventory ? <JobInventory jobId={jobId} /> : null}
      {confirmDelete && jobId ? <DeleteJobDialog jobId={jobId} onClose={() => setConfirmDelete(false)} onDeleted={() => navigate('/jobs')} /> : null}
    </div>
  )
}
