import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './bridge'
import { readLaunchArguments } from './channels'

// Sandboxed preload (bundled as CommonJS): exposes `window.kanade` (typed in api.d.ts).
// The operation names come from the main process on this renderer's command line, so the
// preload exposes exactly the operations the main process handles.

const { names, mode } = readLaunchArguments(process.argv)
contextBridge.exposeInMainWorld('kanade', createBridge(ipcRenderer, names, process.platform, mode))
