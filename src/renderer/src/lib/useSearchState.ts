import { useCallback, useEffect, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'

// List filters live in the URL (#/agents?status=offline&version=0.30.1): tiles and links can
// open a list already filtered, and Back restores the previous filter.

export function useSearchState<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams()
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>
  const set = useCallback(
    (patch: Partial<Record<K, string | null>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev)
          for (const [k, v] of Object.entries(patch) as [K, string | null | undefined][]) {
            if (v === null || v === undefined || v === '') next.delete(k)
            else next.set(k, v)
          }
          return next
        },
        { replace: true },
      )
    },
    [setParams],
  )
  const clear = useCallback(() => set(Object.fromEntries(keys.map((k) => [k, null])) as Partial<Record<K, null>>), [keys, set])
  const active = keys.some((k) => values[k] !== '')
  return { values, set, clear, active }
}

/** A text input that updates its URL parameter after the admin stops typing. */
export function useDebouncedText(value: string, commit: (v: string) => void, delay = 250) {
  const [text, setText] = useState(value)
  const commitRef = useRef(commit)
  commitRef.current = commit
  useEffect(() => setText(value), [value])
  useEffect(() => {
    if (text === value) return
    const h = setTimeout(() => commitRef.current(text), delay)
    return () => clearTimeout(h)
  }, [text, value, delay])
  return [text, setText] as const
}
