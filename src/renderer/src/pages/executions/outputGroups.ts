// Finished results grouped by exit code and trimmed output ("148 PCs printed X, 2 printed Y").

export interface OutputGroup {
  key: string
  exitCode: number | null
  status: string
  output: string
  pcs: string[]
  resultId: string
}

export function groupOutputs(rows: { result_id: string; pc_id: string; exit_code: number | null; status: string; stdout: string; stderr: string }[]): OutputGroup[] {
  const groups = new Map<string, OutputGroup>()
  for (const r of rows) {
    if (r.status === 'running') continue
    const output = (r.stdout.trim() || r.stderr.trim()).replace(/\r\n/g, '\n')
    const key = `${r.exit_code}\u0000${output}`
    let g = groups.get(key)
    if (!g) {
      g = { key, exitCode: r.exit_code, status: r.status, output, pcs: [], resultId: r.result_id }
      groups.set(key, g)
    }
    g.pcs.push(r.pc_id)
  }
  return [...groups.values()].sort((a, b) => b.pcs.length - a.pcs.length || (a.exitCode ?? 0) - (b.exitCode ?? 0))
}
