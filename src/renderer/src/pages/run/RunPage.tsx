import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useOp, useOpMutation } from '../../api/hooks'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { OutputViewer } from '../../components/OutputViewer'
import { PageHeader } from '../../components/PageHeader'
import { ResultStatus } from '../../components/Status'
import { durationBetween, fmtDuration } from '../../lib/format'
import { isOnline } from '../agents/liveness'
import { exitMeaningKey } from '../activity/ResultPage'

// An ad-hoc script on one PC; the request waits for the PC's result and shows it when it arrives.

export default function RunPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const [pc, setPc] = useState(params.get('pc') ?? '')
  const [shell, setShell] = useState('powershell')
  const [script, setScript] = useState('')
  const [timeout, setTimeoutSecs] = useState(60)
  const agents = useOp('listAgents', { query: {} })
  const run = useOpMutation('runScript')
  const agent = agents.data?.items.find((a) => a.pc_id === pc.trim())
  const offline = agent ? !isOnline(agent) : false
  const r = run.data

  return (
    <div className="page form-page" data-testid="page-run">
      <PageHeader title={t('run.title')} subtitle={t('run.subtitle')} />
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault()
          if (pc.trim() && script.trim()) run.mutate({ body: { pc_id: pc.trim(), shell, script, timeout_secs: timeout } })
        }}
      >
        <div className="card-body stack">
          <div className="run-grid">
            <div className="field">
              <label htmlFor="run-pc">{t('run.pc')}</label>
              <input id="run-pc" className="input" list="run-pcs" placeholder={t('run.pcPlaceholder')} value={pc} onChange={(e) => setPc(e.target.value)} />
              <datalist id="run-pcs">
                {(agents.data?.items ?? []).slice(0, 2000).map((a) => <option key={a.pc_id} value={a.pc_id}>{a.hostname ?? ''}</option>)}
              </datalist>
            </div>
            <div className="field">
              <label htmlFor="run-shell">{t('run.shell')}</label>
              <select id="run-shell" className="select" value={shell} onChange={(e) => setShell(e.target.value)}>
                <option value="powershell">PowerShell</option>
                <option value="cmd">cmd</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="run-timeout">{t('run.timeout')}</label>
              <input id="run-timeout" className="input" type="number" min={1} max={3600} value={timeout} onChange={(e) => setTimeoutSecs(Number(e.target.value) || 60)} />
            </div>
          </div>
          {offline ? <div className="notice warn"><Icon name="alert" /><span>{t('run.offline', { pc })}</span></div> : null}
          <div className="field">
            <label htmlFor="run-script">{t('run.script')}</label>
            <textarea id="run-script" className="input mono script-input" rows={10} spellCheck={false} value={script} onChange={(e) => setScript(e.target.value)} placeholder="Get-ComputerInfo | Select-Object OsName, OsVersion" />
          </div>
          <div className="row">
            <span className="faint">{t('run.notice')}</span>
            <button className="btn primary" type="submit" style={{ marginLeft: 'auto' }} disabled={!pc.trim() || !script.trim() || run.isPending} data-testid="run-submit">
              <Icon name="play" /> {t('run.submit')}
            </button>
          </div>
        </div>
      </form>
      {run.isPending ? (
        <div className="notice info" role="status">
          <span className="spinner" />
          <span>{t('run.running', { pc, secs: timeout + 10 })}</span>
        </div>
      ) : null}
      {run.error ? <ErrorNotice error={run.error} /> : null}
      {r ? (
        <section className="stack" data-testid="run-result">
          <div className="row">
            <h2>{t('run.result')}</h2>
            <ResultStatus status={r.exit_code === 0 ? 'success' : 'failure'} exitCode={r.exit_code} />
            <span className="muted">
              {t('result.exitCode')} <span className="mono">{r.exit_code}</span>
              {exitMeaningKey(r.exit_code) ? ` · ${t(`result.exitMeaning.${exitMeaningKey(r.exit_code)!}`)}` : ''} · {fmtDuration(durationBetween(r.started_at, r.finished_at))}
            </span>
            {r.result_id ? <Link style={{ marginLeft: 'auto' }} to={`/activity/${encodeURIComponent(r.result_id)}`}>{t('common.details')}</Link> : null}
          </div>
          <OutputViewer text={r.stdout} label={t('result.stdout')} testId="run-stdout" />
          {r.stderr ? <OutputViewer text={r.stderr} label={t('result.stderr')} /> : null}
        </section>
      ) : null}
    </div>
  )
}
