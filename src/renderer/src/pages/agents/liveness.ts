// The 2-minute rule is judged by the server (its receive time, `online`). When a PC goes quiet
// the core's liveness watcher pushes `agents.changed` (and `agents.offline`) at the moment it
// crosses the window, which refreshes the agent and health reads: the page keeps no timer.

export function isOnline(row: { online: boolean }): boolean {
  return row.online
}

/** Clock skew worth flagging (agent clock vs console clock). */
export const SKEW_WARN_MS = 60_000
