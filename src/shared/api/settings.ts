import { z } from 'zod'
import { op } from './op'

// What this console runs with (the Settings page): version, where its data lives, the NATS
// connection, how /api callers authenticate, durable consumer names. Secrets (tokens, JWT
// secret, passwords in NATS URLs) are never included: only whether they are set.

export const AUTH_MODES = ['disabled', 'static_token', 'jwt', 'static_token_and_jwt', 'install_token'] as const

export const ConsoleSettings = z.object({
  version: z.string(),
  data_dir: z.string(),
  db_path: z.string(),
  /** Offline review of a database file: read-only, no broker. */
  review: z.boolean(),
  nats: z.object({
    /** embedded = the console's own nats-server; external = configured URLs; none = review. */
    mode: z.enum(['embedded', 'external', 'none']),
    /** The configured URLs (user:password replaced by ***), or the embedded server's URL. */
    urls: z.array(z.string()),
    embedded_url: z.string().nullable(),
    state: z.enum(['connecting', 'connected', 'reconnecting', 'disconnected', 'closed', 'offline_review']),
    server: z.string().nullable(),
    since: z.string().nullable(),
    last_error: z.string().nullable(),
    reconnects: z.number().int(),
    /** A NATS token is configured (its value is not shown). */
    token: z.boolean(),
    creds_file: z.string().nullable(),
    replicas: z.number().int(),
  }),
  http: z.object({
    /** The local HTTP API and dashboard, when this console serves them (serve); null in the desktop app. */
    url: z.string().nullable(),
    /** The configured bind address (host:port). */
    bind: z.string(),
    /** How /api callers authenticate: disabled, a static token, HS256 JWT, both, or the per-install token. */
    auth: z.enum(AUTH_MODES),
    /** Where the per-install token is kept (install_token mode). */
    token_file: z.string().nullable(),
  }),
  /** Prefix of the durable consumer names. */
  consumer_prefix: z.string(),
  consumer_prefix_source: z.enum(['config', 'install_id']),
  install_id: z.string(),
  /** Online = a heartbeat received within this many seconds (120; shorter only in development/tests). */
  online_window_secs: z.number(),
  log_level: z.string(),
})
export type ConsoleSettings = z.infer<typeof ConsoleSettings>

export const settingsOps = {
  getSettings: op({
    method: 'GET',
    path: '/api/settings',
    summary: 'What the console runs with: version, data dir, database, NATS, auth mode (never secrets), consumer prefix, review mode',
    response: ConsoleSettings,
  }),
} as const
