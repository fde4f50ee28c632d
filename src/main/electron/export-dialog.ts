import { join } from 'node:path'
import type { CoreServices } from '../core/services'
import type { ElectronMain } from './deps'
import { exportDatabase, exportFileName } from './review'

// File → Export: ask where to, copy the core's database there, say how to open the copy.

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

export async function exportWithDialog(electron: Pick<ElectronMain, 'app' | 'dialog'>, core: CoreServices): Promise<void> {
  const { dialog } = electron
  const r = await dialog.showSaveDialog({
    title: 'Export the console database',
    defaultPath: join(electron.app.getPath('documents'), exportFileName(new Date())),
    filters: [{ name: 'Console database', extensions: ['db'] }],
  })
  if (r.canceled || !r.filePath) return
  try {
    const done = await exportDatabase(core.db, core.config.dbPath, r.filePath)
    await dialog.showMessageBox({
      type: 'info',
      message: 'Database exported',
      detail: `${done.path}\nOpen it with File → Open database for review, or \`kanade-console serve --review <file>\`.`,
    })
  } catch (e) {
    dialog.showErrorBox('Export failed', errorText(e))
  }
}
