import type { KanadeBridge } from '../shared/bridge'

// `window.kanade`, the desktop bridge exposed by src/preload/index.ts (types in src/shared/bridge.ts).

export type { KanadeApi, KanadeBridge, KanadeReply } from '../shared/bridge'

declare global {
  interface Window {
    kanade?: KanadeBridge
  }
}
