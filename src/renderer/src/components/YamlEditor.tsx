import { useMemo, useRef } from 'react'
import CodeMirror from '@uiw/react-codemirror'
import { yaml } from '@codemirror/lang-yaml'
import { EditorView, keymap } from '@codemirror/view'
import { useTheme } from '../theme/theme'

// The YAML editor (CodeMirror 6): syntax highlighting, follows the theme, Ctrl/Cmd+S saves.

export default function YamlEditor({ value, onChange, onSave, label, minHeight = '320px' }: {
  value: string
  onChange: (v: string) => void
  onSave?: () => void
  label: string
  minHeight?: string
}) {
  const { resolved } = useTheme()
  const save = useRef(onSave)
  save.current = onSave
  const extensions = useMemo(
    () => [
      yaml(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (save.current?.(), true) }]),
    ],
    [label],
  )
  return (
    <div className="code-editor" data-testid="yaml-editor">
      <CodeMirror value={value} onChange={onChange} extensions={extensions} theme={resolved} minHeight={minHeight} basicSetup={{ foldGutter: false, highlightActiveLine: true }} />
    </div>
  )
}
