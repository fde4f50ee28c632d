import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useTranslation } from 'react-i18next'
import { Icon } from './Icon'

// A virtualised table (only the visible rows are in the DOM): 5,000 agents or results scroll at
// the speed of 30. Columns are CSS grid tracks; the header is sticky; rows are keyboard reachable.

export interface Column<T> {
  id: string
  header: ReactNode
  /** CSS grid track, e.g. `140px` or `minmax(160px, 2fr)`. */
  width: string
  cell: (row: T, index: number) => ReactNode
  /** Sort key sent to the API (or used locally) when the header is clicked. */
  sort?: string
  align?: 'right' | 'center'
  /** Text for the sort button's accessible name when `header` is not a string. */
  label?: string
}

export interface SortState {
  key: string
  desc: boolean
}

interface Props<T> {
  rows: T[]
  columns: Column<T>[]
  rowKey: (row: T) => string
  onRowClick?: (row: T) => void
  sort?: SortState
  onSort?: (key: string) => void
  /** Shown instead of the body when there are no rows. */
  empty?: ReactNode
  footer?: ReactNode
  /** Called when the last rows come into view (load the next page). */
  onEndReached?: () => void
  selectedKey?: string | null
  label: string
  /** Total rows for assistive tech when only a page is loaded. */
  totalCount?: number
  rowHeight?: number
  className?: string
  testId?: string
}

export function VirtualTable<T>(p: Props<T>) {
  const { t } = useTranslation()
  const scroller = useRef<HTMLDivElement>(null)
  const [active, setActive] = useState(-1)
  const rowHeight = p.rowHeight ?? 32
  const virtualizer = useVirtualizer({
    count: p.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const template = p.columns.map((c) => c.width).join(' ')
  const last = items.length ? items[items.length - 1].index : -1

  const { onEndReached, rows } = p
  useEffect(() => {
    if (onEndReached && rows.length > 0 && last >= rows.length - 8) onEndReached()
  }, [last, rows.length, onEndReached])

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!p.rows.length) return
    let next = active
    if (e.key === 'ArrowDown') next = Math.min(p.rows.length - 1, active + 1)
    else if (e.key === 'ArrowUp') next = Math.max(0, active - 1)
    else if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = p.rows.length - 1
    else if (e.key === 'Enter' && active >= 0 && p.onRowClick) {
      p.onRowClick(p.rows[active])
      return
    } else return
    e.preventDefault()
    setActive(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  return (
    <div className={`table-wrap ${p.className ?? ''}`} data-testid={p.testId}>
      <div
        className="table-scroll"
        ref={scroller}
        role="table"
        aria-label={p.label}
        aria-rowcount={(p.totalCount ?? p.rows.length) + 1}
        tabIndex={0}
        onKeyDown={onKey}
      >
        <div className="t-head" role="row" style={{ gridTemplateColumns: template }}>
          {p.columns.map((c) => {
            const sorted = p.sort && c.sort && p.sort.key === c.sort
            const ariaSort = sorted ? (p.sort!.desc ? 'descending' : 'ascending') : 'none'
            return (
              <div key={c.id} role="columnheader" aria-sort={c.sort ? ariaSort : undefined} style={{ justifyContent: c.align === 'right' ? 'flex-end' : undefined }}>
                {c.sort && p.onSort ? (
                  <button
                    className="sort"
                    aria-sort={ariaSort}
                    title={t('common.sortBy', { column: c.label ?? (typeof c.header === 'string' ? c.header : c.id) })}
                    onClick={() => p.onSort!(c.sort!)}
                  >
                    {c.header}
                    {sorted ? <Icon name={p.sort!.desc ? 'sortDown' : 'sortUp'} size={12} /> : null}
                  </button>
                ) : (
                  c.header
                )}
              </div>
            )
          })}
        </div>
        {p.rows.length === 0 && p.empty ? (
          p.empty
        ) : (
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((vi) => {
              const row = p.rows[vi.index]
              const key = p.rowKey(row)
              const cls = ['t-row', p.onRowClick ? 'clickable' : '', key === p.selectedKey || vi.index === active ? 'selected' : '']
              return (
                <div
                  key={key}
                  role="row"
                  aria-rowindex={vi.index + 2}
                  className={cls.join(' ')}
                  data-key={key}
                  style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${vi.start}px)` }}
                  onClick={p.onRowClick ? () => p.onRowClick!(row) : undefined}
                >
                  {p.columns.map((c) => (
                    <div key={c.id} role="cell" style={c.align ? { textAlign: c.align } : undefined} className={c.id === 'actions' ? 'row-actions' : undefined}>
                      {c.cell(row, vi.index)}
                    </div>
                  ))}
                </div>
              )
            })}
          </div>
        )}
      </div>
      {p.footer ? <div className="t-foot">{p.footer}</div> : null}
    </div>
  )
}

/** Cycle a sort key: first click sorts ascending, the second descending. */
export function nextSort(current: SortState, key: string, descFirst = false): SortState {
  if (current.key !== key) return { key, desc: descFirst }
  return { key, desc: !current.desc }
}

export const sortParam = (s: SortState) => (s.desc ? `-${s.key}` : s.key)
export function parseSort(v: string | null, fallback: SortState): SortState {
  if (!v) return fallback
  return v.startsWith('-') ? { key: v.slice(1), desc: true } : { key: v, desc: false }
}
