import { fmtDateTime, fmtNumber } from '../lib/format'

// Inventory facts rendered with the manifest's display hints (number, bytes, timestamp, table).

export interface DisplayField {
  field: string
  label: string
  type?: string
  columns?: DisplayField[]
}

export function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']
  let v = n
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${fmtNumber(Number(v.toFixed(v < 10 && i > 0 ? 1 : 0)))} ${units[i]}`
}

export function FactValue({ value, type, columns }: { value: unknown; type?: string; columns?: DisplayField[] }) {
  if (value === null || value === undefined) return <span className="faint">—</span>
  if (type === 'number' && typeof value === 'number') return <span className="num">{fmtNumber(value)}</span>
  if (type === 'bytes' && typeof value === 'number') return <span className="num" title={`${value} B`}>{fmtBytes(value)}</span>
  if (type === 'timestamp' && (typeof value === 'string' || typeof value === 'number')) return <>{fmtDateTime(typeof value === 'number' ? value : value)}</>
  if (type === 'table' && Array.isArray(value)) {
    const cols: DisplayField[] = columns?.length ? columns : Object.keys((value[0] ?? {}) as object).map((k) => ({ field: k, label: k }))
    return (
      <table className="simple nested">
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c.field}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {value.map((row, i) => (
            <tr key={i}>
              {cols.map((c) => (
                <td key={c.field}>
                  <FactValue value={(row as Record<string, unknown>)?.[c.field]} type={c.type} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    )
  }
  if (typeof value === 'object') return <code className="wrap-code">{JSON.stringify(value)}</code>
  return <>{String(value)}</>
}

export function Facts({ facts, display }: { facts: unknown; display: DisplayField[] | null }) {
  const obj = (facts && typeof facts === 'object' ? facts : {}) as Record<string, unknown>
  const fields: DisplayField[] = display?.length ? display : Object.keys(obj).map((k) => ({ field: k, label: k }))
  return (
    <dl className="kv">
      {fields.map((f) => (
        <div key={f.field} style={{ display: 'contents' }}>
          <dt>{f.label}</dt>
          <dd>
            <FactValue value={obj[f.field]} type={f.type} columns={f.columns} />
          </dd>
        </div>
      ))}
    </dl>
  )
}
