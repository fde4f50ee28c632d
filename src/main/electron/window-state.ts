import type { BrowserWindow, Rectangle } from './deps'
import { readJsonFile, writeJsonFile } from './json-file'

// The main window's size and position, remembered in `<data dir>/window-state.json`.

export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 800, maximized: false }
export const MIN_SIZE = { width: 800, height: 500 }

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** How much of `r` lies inside `area`, in pixels. */
function overlap(r: Rectangle, area: Rectangle): number {
  const w = Math.min(r.x + r.width, area.x + area.width) - Math.max(r.x, area.x)
  const h = Math.min(r.y + r.height, area.y + area.height) - Math.max(r.y, area.y)
  return w > 0 && h > 0 ? w * h : 0
}

/**
 * Validate a stored state against the displays present now: a size within bounds, and a
 * position only when enough of the window lands on a screen (a monitor may have gone).
 */
export function restoreWindowState(stored: unknown, workAreas: Rectangle[]): WindowState {
  if (!stored || typeof stored !== 'object') return { ...DEFAULT_STATE }
  const s = stored as Record<string, unknown>
  const largest = workAreas.reduce((m, a) => Math.max(m, a.width, a.height), 0) || 10_000
  const width = num(s.width) ? Math.round(Math.min(Math.max(s.width, MIN_SIZE.width), Math.max(largest, MIN_SIZE.width))) : DEFAULT_STATE.width
  const height = num(s.height) ? Math.round(Math.min(Math.max(s.height, MIN_SIZE.height), Math.max(largest, MIN_SIZE.height))) : DEFAULT_STATE.height
  const state: WindowState = { width, height, maximized: s.maximized === true }
  if (num(s.x) && num(s.y)) {
    const rect = { x: Math.round(s.x), y: Math.round(s.y), width, height }
    // At least a 100×50 strip of the window (its title bar) must be reachable.
    if (workAreas.some((a) => overlap({ ...rect, height: Math.min(height, 50) }, a) >= 100 * 50 || overlap(rect, a) >= (width * height) / 4)) {
      state.x = rect.x
      state.y = rect.y
    }
  }
  return state
}

export function loadWindowState(file: string, workAreas: Rectangle[]): WindowState {
  return restoreWindowState(readJsonFile(file), workAreas)
}

/** Save the window's normal bounds on move/resize (debounced) and when it closes. */
export function trackWindowState(win: BrowserWindow, file: string, delayMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const save = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (win.isDestroyed()) return
    const b = win.getNormalBounds()
    try {
      writeJsonFile(file, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() })
    } catch {
      // remembering bounds is a nicety; a read-only data folder must not break the window
    }
  }
  const later = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, delayMs)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('maximize', later)
  win.on('unmaximize', later)
  win.on('close', save)
  return save
}
