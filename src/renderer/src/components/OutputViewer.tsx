import { Fragment, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Icon } from './Icon'
import { toast } from './Toasts'

// stdout / stderr viewer: monospace with line numbers, wrap toggle, copy, and find with
// highlighted matches. Long outputs are rendered in blocks the browser can skip while off screen.

const BLOCK = 200

export interface Match {
  line: number
  start: number
}

export function findMatches(lines: string[], needle: string, limit = 10_000): Match[] {
  if (!needle) return []
  const n = needle.toLowerCase()
  const out: Match[] = []
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    const l = lines[i].toLowerCase()
    let at = l.indexOf(n)
    while (at >= 0 && out.length < limit) {
      out.push({ line: i, start: at })
      at = l.indexOf(n, at + n.length)
    }
  }
  return out
}

function Line({ text, needle, currentStart }: { text: string; needle: string; currentStart: number | null }) {
  if (!needle) return <>{text || '\u200b'}</>
  const lower = text.toLowerCase()
  const n = needle.toLowerCase()
  const parts: React.ReactNode[] = []
  let pos = 0
  let at = lower.indexOf(n)
  while (at >= 0) {
    parts.push(text.slice(pos, at))
    parts.push(
      <mark key={at} className={at === currentStart ? 'current' : undefined}>
        {text.slice(at, at + n.length)}
      </mark>,
    )
    pos = at + n.length
    at = lower.indexOf(n, pos)
  }
  parts.push(text.slice(pos))
  return <>{parts.map((p, i) => (typeof p === 'string' ? <Fragment key={`t${i}`}>{p}</Fragment> : p))}</>
}

export function OutputViewer({ text, label, emptyText, testId }: { text: string; label: string; emptyText?: string; testId?: string }) {
  const { t } = useTranslation()
  const [wrap, setWrap] = useState(true)
  const [query, setQuery] = useState('')
  const [current, setCurrent] = useState(0)
  const body = useRef<HTMLDivElement>(null)
  const lines = useMemo(() => text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'), [text])
  const matches = useMemo(() => findMatches(lines, query), [lines, query])
  const cur = matches.length ? matches[Math.min(current, matches.length - 1)] : null

  useEffect(() => setCurrent(0), [query, text])
  useEffect(() => {
    if (!cur) return
    body.current?.querySelector(`[data-line="${cur.line}"]`)?.scrollIntoView({ block: 'center' })
  }, [cur])

  const step = (d: number) => matches.length && setCurrent((c) => (c + d + matches.length) % matches.length)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      toast('ok', t('common.copied'))
    } catch (e) {
      toast('bad', t('errors.title'), e instanceof Error ? e.message : String(e))
    }
  }

  const blocks: number[] = []
  for (let i = 0; i < lines.length; i += BLOCK) blocks.push(i)
  const empty = text.length === 0

  return (
    <div className="output" data-testid={testId}>
      <div className="output-bar">
        <span className="output-label">{label}</span>
        <span className="faint">{t('result.lines', { count: empty ? 0 : lines.length })}</span>
        <span className="spacer" />
        <div className="search-box output-find">
          <Icon name="search" />
          <input
            className="input"
            type="search"
            placeholder={t('result.find')}
            aria-label={t('result.find')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                step(e.shiftKey ? -1 : 1)
              }
            }}
          />
        </div>
        {query ? (
          <span className="faint nowrap" aria-live="polite">
            {matches.length ? t('result.matches', { current: Math.min(current, matches.length - 1) + 1, count: matches.length }) : t('result.noMatches')}
          </span>
        ) : null}
        <button className="btn ghost small icon-only" onClick={() => step(-1)} disabled={!matches.length} aria-label={t('result.prev')} title={t('result.prev')}>
          <Icon name="sortUp" />
        </button>
        <button className="btn ghost small icon-only" onClick={() => step(1)} disabled={!matches.length} aria-label={t('result.next')} title={t('result.next')}>
          <Icon name="sortDown" />
        </button>
        <button className="btn ghost small" aria-pressed={wrap} onClick={() => setWrap((w) => !w)} title={t('result.wrap')}>
          <Icon name="wrap" /> {t('result.wrap')}
        </button>
        <button className="btn ghost small" onClick={copy} disabled={empty}>
          <Icon name="copy" /> {t('common.copy')}
        </button>
      </div>
      <div className={wrap ? 'output-body wrap' : 'output-body'} ref={body} tabIndex={0} aria-label={label}>
        {empty ? (
          <div className="output-empty faint">{emptyText ?? t('result.emptyStream')}</div>
        ) : (
          blocks.map((b) => (
            <div className="output-block" key={b} style={{ containIntrinsicSize: `auto ${Math.min(BLOCK, lines.length - b) * 18}px` }}>
              {lines.slice(b, b + BLOCK).map((l, j) => {
                const i = b + j
                return (
                  <div className="output-line" key={i} data-line={i}>
                    <span className="ln" aria-hidden>
                      {i + 1}
                    </span>
                    <span className="tx">
                      <Line text={l} needle={query} currentStart={cur && cur.line === i ? cur.start : null} />
                    </span>
                  </div>
                )
              })}
            </div>
          ))
        )}
      </div>
    </div>
  )
}
