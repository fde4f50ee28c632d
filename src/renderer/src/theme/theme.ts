import { useSyncExternalStore } from 'react'

// Light/dark theme: follows the OS (prefers-color-scheme) unless the admin picks one in Settings.

export type ThemeChoice = 'system' | 'light' | 'dark'
export type ResolvedTheme = 'light' | 'dark'

const KEY = 'kanade.theme'
const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null
const listeners = new Set<() => void>()

export function themeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

export function resolvedTheme(choice = themeChoice()): ResolvedTheme {
  if (choice !== 'system') return choice
  return media?.matches ? 'dark' : 'light'
}

function apply(): void {
  document.documentElement.dataset.theme = resolvedTheme()
  for (const f of listeners) f()
}

export function setThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, choice)
  } catch {
    // storage disabled: applies for this page only
  }
  apply()
}

/** Call once before the first render. */
export function initTheme(): void {
  media?.addEventListener('change', apply)
  apply()
}

function subscribe(f: () => void): () => void {
  listeners.add(f)
  return () => listeners.delete(f)
}

export function useTheme(): { choice: ThemeChoice; resolved: ResolvedTheme } {
  const resolved = useSyncExternalStore(subscribe, () => resolvedTheme())
  const choice = useSyncExternalStore(subscribe, themeChoice)
  return { choice, resolved }
}

/** Current values of CSS colour tokens, for libraries that need literal colours (charts). */
export function useTokenColors<K extends string>(names: readonly K[]): Record<K, string> {
  const { resolved } = useTheme()
  void resolved // re-read after a theme switch
  const style = getComputedStyle(document.documentElement)
  const out = {} as Record<K, string>
  for (const n of names) out[n] = style.getPropertyValue(`--${n}`).trim()
  return out
}
