import { encodeCommand, type Manifest } from '../../../shared/wire'

// The exact 0.30 Command an exec publishes (protocol §4.1 "How kanade-backend 0.30 fills a
// Command"): one exec_id and ONE request_id for every subject and wave of the exec (Q13).

export interface CommandIds {
  execId: string
  requestId: string
  timeoutSecs: number
  jitterSecs: number | null
  deadlineAt?: string
}

export function execCommandJson(m: Manifest, ids: CommandIds): string {
  return encodeCommand({
    id: m.id,
    version: m.version,
    request_id: ids.requestId,
    exec_id: ids.execId,
    shell: m.execute.shell,
    script: m.execute.script,
    timeout_secs: ids.timeoutSecs,
    jitter_secs: ids.jitterSecs,
    run_as: m.execute.run_as,
    cwd: m.execute.cwd,
    deadline_at: ids.deadlineAt,
    staleness: m.staleness,
  })
}
