import { useEffect } from 'react'
import { useNavigate } from 'react-router'
import { NAV } from './nav'

// Ctrl/Cmd+K opens the command palette; "g" then a letter jumps to a page (g a = Agents).

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('.cm-editor')
}

export function useHotkeys(openPalette: () => void): void {
  const navigate = useNavigate()
  useEffect(() => {
    let pendingG = 0
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        openPalette()
        return
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      if (e.key === 'g') {
        pendingG = Date.now()
        return
      }
      if (pendingG && Date.now() - pendingG < 1200) {
        pendingG = 0
        const item = NAV.find((n) => n.hotkey === e.key)
        if (item) {
          e.preventDefault()
          navigate(item.path)
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [navigate, openPalette])
}
