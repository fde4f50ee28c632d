import { useSyncExternalStore } from 'react'

// A shared clock for relative times and the 2-minute online rule: one timer for the whole page.

let now = Date.now()
const listeners = new Set<() => void>()
let timer: ReturnType<typeof setInterval> | null = null

function subscribe(f: () => void): () => void {
  listeners.add(f)
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now()
      for (const l of listeners) l()
    }, 5000)
  }
  return () => {
    listeners.delete(f)
    if (listeners.size === 0 && timer) {
      clearInterval(timer)
      timer = null
    }
  }
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now)
}
