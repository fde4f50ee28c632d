import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { Badge } from '../../components/Status'

// Which of kanade's JetStream resources exist on the broker.

type Resource = { name: string; exists: boolean }

function ResourceTable({ title, rows }: { title: string; rows: Resource[] }) {
  const { t } = useTranslation()
  return (
    <section className="card">
      <div className="card-head">
        <h2>{title}</h2>
        <span className="faint" style={{ marginLeft: 'auto' }}>
          {rows.filter((r) => r.exists).length}/{rows.length}
        </span>
      </div>
      <table className="simple">
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td className="mono">{r.name}</td>
              <td className="num">
                <Badge tone={r.exists ? 'ok' : 'bad'} dot>
                  {r.exists ? t('jetstream.present') : t('jetstream.missing')}
                </Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export default function JetStreamPage() {
  const { t } = useTranslation()
  const q = useOp('jetstreamStatus', undefined, { retry: false })
  const all = q.data ? [...q.data.streams, ...q.data.kv_buckets, ...q.data.object_stores] : []
  const missing = all.filter((r) => !r.exists)
  return (
    <div className="page" data-testid="page-jetstream">
      <PageHeader title={t('jetstream.title')} subtitle={t('jetstream.subtitle')} actions={<button className="btn" onClick={() => q.refetch()} disabled={q.isFetching}><Icon name="refresh" /> {t('common.retry')}</button>} />
      {q.error ? <ErrorNotice error={q.error} title={q.error.code === 'nats_unavailable' ? t('jetstream.unavailable') : undefined} onRetry={() => q.refetch()} /> : null}
      {q.isPending ? <Loading /> : null}
      {q.data ? (
        <>
          <div className={missing.length ? 'notice bad' : 'notice info'} role="status">
            <Icon name={missing.length ? 'alert' : 'check'} />
            <span>{missing.length ? t('jetstream.someMissing', { count: missing.length, total: all.length, names: missing.map((m) => m.name).join(', ') }) : t('jetstream.allOk', { total: all.length })}</span>
          </div>
          <div className="grid-3">
            <ResourceTable title={t('jetstream.streams')} rows={q.data.streams} />
            <ResourceTable title={t('jetstream.kv')} rows={q.data.kv_buckets} />
            <ResourceTable title={t('jetstream.objects')} rows={q.data.object_stores} />
          </div>
        </>
      ) : null}
    </div>
  )
}
