import type { EventStarted, ExecResult, Heartbeat } from '../../shared/wire'

// Encoders for what agents send, in kanade's key order (same bytes as the shared wire
// encoders, checked by test/unit/sim/wire-out.test.ts) but without re-validating values the
// simulator built itself: at 5,000 agents the schema pass was a large share of the CPU.

export function heartbeatJson(h: Heartbeat): string {
  return JSON.stringify({
    pc_id: h.pc_id,
    at: h.at,
    agent_version: h.agent_version,
    hostname: h.hostname ?? undefined,
    os_family: h.os_family ?? undefined,
  })
}

export function eventStartedJson(e: EventStarted): string {
  return JSON.stringify({
    result_id: e.result_id,
    request_id: e.request_id,
    exec_id: e.exec_id,
    pc_id: e.pc_id,
    started_at: e.started_at,
    manifest_id: e.manifest_id,
    version: e.version,
  })
}

/** exec_id and manifest_id are omitted when null, as the agent does. */
export function execResultJson(r: ExecResult): string {
  return JSON.stringify({
    result_id: r.result_id,
    request_id: r.request_id,
    exec_id: r.exec_id ?? undefined,
    pc_id: r.pc_id,
    exit_code: r.exit_code,
    stdout: r.stdout,
    stderr: r.stderr,
    started_at: r.started_at,
    finished_at: r.finished_at,
    manifest_id: r.manifest_id ?? undefined,
  })
}
