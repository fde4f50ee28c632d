import { loadConfig, parseFlags, ConfigError } from './core/config'
import { startConsole } from './core/console'
import { createLogger } from './core/log'
import { describeAuth } from './core/http/auth'
import { defaultSubsystems } from './core/subsystems'

// `kanade-console serve`: the core under plain Node, headless.

export async function serve(argv: string[]): Promise<void> {
  const { flags } = parseFlags(argv)
  let config
  try {
    config = loadConfig(flags)
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`kanade-console: ${e.message}`)
      process.exit(2)
    }
    throw e
  }
  const log = createLogger(config.logLevel)
  const running = await startConsole(config, { log, subsystems: defaultSubsystems(config) })
  console.log(`kanade-console ready: ${running.url}${config.reviewDb ? ' (offline review, read-only)' : ''}`)
  if (running.http) console.log(`kanade-console ${describeAuth(running.http.auth)}`)

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal} received, stopping`)
    running
      .stop()
      .then(() => process.exit(0))
      .catch((e) => {
        log.error('shutdown failed', e)
        process.exit(1)
      })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}
