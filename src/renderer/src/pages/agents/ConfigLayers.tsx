import { useTranslation } from 'react-i18next'
import { useOp } from '../../api/hooks'
import { Loading } from '../../components/Empty'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Icon } from '../../components/Icon'

// The effective config of one PC and where each value comes from: built-in → global → its
// groups in byte order (last wins) → the PC's own scope (protocol §6.3).

const FIELDS = ['target_version', 'target_version_jitter', 'heartbeat_interval'] as const
type Field = (typeof FIELDS)[number]
type Scope = Partial<Record<Field, string>>

export interface Layer {
  label: string
  key: string
  scope: Scope
}

/** Byte-wise order, like Rust's default string ordering (not locale order). */
export const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export function sourceOf(field: Field, layers: Layer[]): Layer | null {
  let src: Layer | null = null
  for (const l of layers) if (l.scope[field] !== undefined) src = l
  return src
}

export function ConfigLayers({ pcId }: { pcId: string }) {
  const { t } = useTranslation()
  const eff = useOp('getEffectiveConfig', { params: { pc_id: pcId } }, { retry: false })
  const groups = useOp('getAgentGroups', { params: { pc_id: pcId } }, { retry: false })
  const scopes = useOp('listConfigScopes', undefined, { retry: false })
  if (eff.error) return <ErrorNotice error={eff.error} onRetry={() => eff.refetch()} />
  if (!eff.data) return <Loading />

  const byKey = new Map((scopes.data?.items ?? []).map((s) => [s.key, s.scope as Scope]))
  const layers: Layer[] = [{ label: t('effective.layerGlobal'), key: 'global', scope: byKey.get('global') ?? {} }]
  for (const g of [...new Set(groups.data?.groups ?? [])].sort(byteOrder)) {
    const s = byKey.get(`groups.${g}`)
    if (s) layers.push({ label: t('effective.layerGroup', { name: g }), key: `groups.${g}`, scope: s })
  }
  layers.push({ label: t('effective.layerPc'), key: `pcs.${pcId}`, scope: byKey.get(`pcs.${pcId}`) ?? {} })
  const effective = eff.data.effective as Record<Field, string | null>

  return (
    <div className="stack" data-testid="config-layers">
      <table className="simple">
        <thead>
          <tr>
            <th>{t('effective.field')}</th>
            <th>{t('effective.value')}</th>
            <th>{t('effective.source')}</th>
          </tr>
        </thead>
        <tbody>
          {FIELDS.map((f) => {
            const src = scopes.data ? sourceOf(f, layers) : null
            return (
              <tr key={f}>
                <td className="mono">{f}</td>
                <td className="mono">{effective[f] ?? <span className="faint">{t('common.none')}</span>}</td>
                <td className="muted">{src ? <code>{src.key}</code> : t('effective.builtin')}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {eff.data.warnings.length ? (
        <div className="notice warn">
          <Icon name="alert" />
          <div className="notice-body">
            <strong>{t('effective.warnings')}</strong>
            {eff.data.warnings.map((w) => (
              <span key={w} className="mono">
                {w}
              </span>
            ))}
          </div>
        </div>
      ) : null}
      {scopes.data ? (
        <div>
          <div className="section-label">{t('effective.layers')}</div>
          <ol className="layers">
            {layers.map((l) => (
              <li key={l.key}>
                <code>{l.key}</code>{' '}
                <span className="muted">
                  {Object.keys(l.scope).length ? Object.entries(l.scope).map(([k, v]) => `${k}=${v}`).join(', ') : t('effective.layerEmpty')}
                </span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  )
}
