import { join } from 'node:path'
import { version } from '../../../package.json'
import type { ConsoleSettings } from '../../shared/api/settings'
import { TOKEN_FILE } from './http/auth'
import { onlineWindowMs } from './online-window'
import type { CoreServices } from './services'

// The Settings page's view of the running console. Secrets never leave here: the NATS token,
// the static API token and the JWT secret are reported as "set", and a password in a NATS URL
// is masked. Reading it has no side effect (the per-install token file is not created here).

export const CONSOLE_VERSION: string = version

/** `nats://user:pass@host:4222` → `nats://user:***@host:4222`; a bare token before @ is masked whole. */
export function maskNatsUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)([^@/]+)@/i, (_m, scheme: string, info: string) => {
    const colon = info.indexOf(':')
    return `${scheme}${colon >= 0 ? `${info.slice(0, colon)}:***` : '***'}@`
  })
}

export function authMode(auth: CoreServices['config']['auth']): ConsoleSettings['http']['auth'] {
  if (auth.disabled) return 'disabled'
  if (auth.staticToken && auth.jwtSecret) return 'static_token_and_jwt'
  if (auth.staticToken) return 'static_token'
  if (auth.jwtSecret) return 'jwt'
  return 'install_token'
}

export function consoleSettings(core: CoreServices): ConsoleSettings {
  const c = core.config
  const review = core.readonly
  const embeddedUrl = core.embeddedNats?.url ?? null
  const mode = review || (!core.nats && !c.natsUrls) ? 'none' : c.natsUrls ? 'external' : 'embedded'
  const s = core.nats?.status ?? null
  const auth = authMode(c.auth)
  return {
    version: CONSOLE_VERSION,
    data_dir: c.dataDir,
    db_path: c.dbPath,
    review,
    nats: {
      mode,
      urls: c.natsUrls ? c.natsUrls.map(maskNatsUrl) : embeddedUrl ? [embeddedUrl] : [],
      embedded_url: embeddedUrl,
      state: s ? s.state : review ? 'offline_review' : 'disconnected',
      server: s?.server ? maskNatsUrl(s.server) : null,
      since: s?.since ?? null,
      last_error: s?.lastError ?? null,
      reconnects: s?.reconnects ?? 0,
      token: c.natsToken !== null,
      creds_file: c.natsCredsFile,
      replicas: c.replicas,
    },
    http: {
      url: core.httpUrl ?? null,
      bind: c.bindHost.includes(':') ? `[${c.bindHost}]:${c.bindPort}` : `${c.bindHost}:${c.bindPort}`,
      auth,
      token_file: auth === 'install_token' ? join(c.dataDir, TOKEN_FILE) : null,
    },
    consumer_prefix: c.consumerPrefix ?? core.installId,
    consumer_prefix_source: c.consumerPrefix ? 'config' : 'install_id',
    install_id: core.installId,
    online_window_secs: onlineWindowMs() / 1000,
    log_level: c.logLevel,
  }
}
