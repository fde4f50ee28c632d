import type { LogLevel } from './config'

// A small leveled logger: one line per event on stderr, so stdout stays for the
// "ready" line and command output.

export interface Logger {
  error(msg: string, extra?: unknown): void
  warn(msg: string, extra?: unknown): void
  info(msg: string, extra?: unknown): void
  debug(msg: string, extra?: unknown): void
  child(scope: string): Logger
}

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 }

export function createLogger(level: LogLevel = 'info', scope = 'console', sink = process.stderr): Logger {
  const write = (l: LogLevel, msg: string, extra?: unknown) => {
    if (ORDER[l] > ORDER[level]) return
    sink.write(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} [${scope}] ${msg}${describeExtra(extra)}\n`)
  }
  return {
    error: (m, e) => write('error', m, e),
    warn: (m, e) => write('warn', m, e),
    info: (m, e) => write('info', m, e),
    debug: (m, e) => write('debug', m, e),
    child: (s) => createLogger(level, `${scope}:${s}`, sink),
  }
}

/** How a log line shows its extra: an error's message, or the value as JSON. */
export function describeExtra(extra: unknown): string {
  if (extra instanceof Error) return ` — ${extra.message}`
  return extra === undefined ? '' : ` ${JSON.stringify(extra)}`
}

/** For tests: discard everything. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
}
