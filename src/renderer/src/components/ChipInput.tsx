import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Icon } from './Icon'

// A list of names as removable chips; typing Enter, comma or space adds; pasting a list adds all.

export function ChipInput({ value, onChange, suggestions = [], placeholder, label, invalid = [], testId }: {
  value: string[]
  onChange: (v: string[]) => void
  suggestions?: string[]
  placeholder?: string
  label: string
  /** Values to flag (e.g. PCs not in the roster). */
  invalid?: string[]
  testId?: string
}) {
  const { t } = useTranslation()
  const [draft, setDraft] = useState('')
  const listId = useId()
  const add = (text: string) => {
    const names = text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean)
    if (!names.length) return
    onChange([...new Set([...value, ...names])])
    setDraft('')
  }
  const bad = new Set(invalid)
  return (
    <div className="chip-input" data-testid={testId}>
      {value.map((v) => (
        <span className={bad.has(v) ? 'chip bad' : 'chip'} key={v}>
          {v}
          <button type="button" aria-label={`${t('common.remove')} ${v}`} onClick={() => onChange(value.filter((x) => x !== v))}>
            <Icon name="close" size={11} />
          </button>
        </span>
      ))}
      <input
        aria-label={label}
        placeholder={value.length ? '' : placeholder}
        list={suggestions.length ? listId : undefined}
        value={draft}
        onChange={(e) => {
          const v = e.target.value
          // A suggestion picked from the datalist arrives as the whole value: add it at once.
          if (suggestions.includes(v)) add(v)
          else setDraft(v)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',' || e.key === ' ') {
            if (draft.trim()) {
              e.preventDefault()
              add(draft)
            } else if (e.key === 'Enter') e.preventDefault()
          } else if (e.key === 'Backspace' && !draft && value.length) {
            onChange(value.slice(0, -1))
          }
        }}
        onPaste={(e) => {
          const text = e.clipboardData.getData('text')
          if (/[\s,;]/.test(text.trim())) {
            e.preventDefault()
            add(text)
          }
        }}
        onBlur={() => draft.trim() && add(draft)}
      />
      {suggestions.length ? (
        <datalist id={listId}>
          {suggestions.slice(0, 500).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </div>
  )
}
