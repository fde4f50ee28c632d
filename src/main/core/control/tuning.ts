// Timings of the control plane. kanade's values are the defaults; tests shorten them
// (an ad-hoc run waits timeout_secs + 10 s, which would make a timeout test slow).

export interface ControlTuning {
  /** Extra wait after timeout_secs for an ad-hoc run's result (kanade: 10 s). */
  runGraceMs: number
  /** How long a logs.fetch request waits for the agent's reply (kanade: 10 s). */
  logsTimeoutMs: number
  /** Longest wait for the broker to confirm published commands. */
  flushTimeoutMs: number
  /** Cleanup loop period (kanade 0.30.x: 5 minutes, first run immediate). */
  cleanupIntervalMs: number
  /** Retry delay of a wave publish that failed (broker down). */
  waveRetryMs: number
}

export const controlTuning: ControlTuning = {
  runGraceMs: 10_000,
  logsTimeoutMs: 10_000,
  flushTimeoutMs: 10_000,
  cleanupIntervalMs: 5 * 60_000,
  waveRetryMs: 5_000,
}
