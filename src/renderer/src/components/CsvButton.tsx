import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { transport } from '../api/client'
import { downloadText } from '../api/csv'
import type { OpIn, OpName } from '../api/types'
import { failureText } from './ErrorNotice'
import { Icon } from './Icon'
import { toast } from './Toasts'

// "Export CSV" of the list as currently filtered (the API's ?format=csv; built locally over IPC).

export function CsvButton<N extends OpName>({ op, input, filename }: { op: N; input: OpIn<N>; filename: string }) {
  const { t } = useTranslation()
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    try {
      const q = ((input as { query?: Record<string, unknown> }).query ?? {}) as Record<string, unknown>
      // Export the whole filtered set, not the page on screen.
      const all = { ...input, query: { ...q, limit: 100_000, offset: 0 } } as OpIn<N>
      const text = await transport.csv(op, all)
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
      const file = `${filename}-${stamp}.csv`
      downloadText(file, text)
      toast('ok', t('common.exported', { file }))
    } catch (e) {
      const f = failureText(e, t)
      toast('bad', f.title, f.message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <button className="btn" onClick={run} disabled={busy}>
      <Icon name="download" /> {busy ? t('common.exporting') : t('common.exportCsv')}
    </button>
  )
}
