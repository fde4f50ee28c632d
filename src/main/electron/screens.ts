import { ACTION_URL } from './security'

// The two screens the shell shows itself before the dashboard can load: "starting" and
// "could not start". Self-contained data: URLs with their own strict CSP (no script at all);
// their buttons are links to ACTION_URL, which the navigation guard turns into
// actions instead of navigating.

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const STYLE = `
  body { font: 14px system-ui, sans-serif; margin: 0; display: flex; align-items: center; justify-content: center;
         min-height: 100vh; background: #f5f6f8; color: #1d2433; }
  @media (prefers-color-scheme: dark) { body { background: #16181d; color: #e4e7ee; } .card { background: #20232b !important; } }
  .card { background: #fff; border-radius: 10px; padding: 28px 32px; max-width: 640px; box-shadow: 0 2px 12px rgba(0,0,0,.12); }
  h1 { font-size: 18px; margin: 0 0 12px; }
  pre { white-space: pre-wrap; word-break: break-word; background: rgba(127,127,127,.12); padding: 10px; border-radius: 6px; }
  .actions { margin-top: 20px; display: flex; gap: 10px; flex-wrap: wrap; }
  a.btn { text-decoration: none; padding: 7px 14px; border-radius: 6px; background: #2f6fde; color: #fff; }
  a.btn.secondary { background: rgba(127,127,127,.25); color: inherit; }
  .spinner { width: 28px; height: 28px; border: 3px solid rgba(127,127,127,.3); border-top-color: #2f6fde;
             border-radius: 50%; animation: spin 1s linear infinite; margin-bottom: 14px; }
  @keyframes spin { to { transform: rotate(360deg); } }
`

function page(title: string, body: string): string {
  const html =
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><div class="card">${body}</div></body></html>`
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`
}

export function startupScreenUrl(detail = 'Starting the console…'): string {
  return page('kanade console', `<div class="spinner"></div><h1>kanade console</h1><p>${escapeHtml(detail)}</p>`)
}

/** What the user can do about a failed start, from the error's text. */
export function startupHint(message: string): string | null {
  const m = message.toLowerCase()
  if (m.includes('nats-server') && (m.includes('enoent') || m.includes('not found') || m.includes('spawn'))) {
    return 'nats-server was not found. Install it (apt-get install nats-server, brew install nats-server, winget install nats-io.nats-server), set KANADE_NATS_SERVER_BIN, or point the console at an existing NATS with KANADE_NATS_URL.'
  }
  if (m.includes('sqlite_busy') || m.includes('database is locked') || m.includes('locked')) {
    return 'The console database is locked by another program, probably another kanade console or `kanade-console serve` using the same data folder. Stop it, or start this one with another KANADE_DATA_DIR.'
  }
  if (m.includes('eaddrinuse') || m.includes('address already in use')) {
    return 'The HTTP port is taken, probably by another console or `kanade-console serve`. Stop it, or choose another address with KANADE_BIND_ADDR (for example 127.0.0.1:8081).'
  }
  if (m.includes('node_module_version') || m.includes('was compiled against a different node.js version')) {
    return 'better-sqlite3 is not built for Electron. Start the app with `npm start`, which prepares an Electron build of it in native/electron/.'
  }
  if (m.includes('econnrefused') || m.includes('connection refused') || m.includes('timeout')) {
    return 'The NATS server did not answer. Check KANADE_NATS_URL and that the broker is running.'
  }
  return null
}

export function errorScreenUrl(message: string, opts: { canRetry?: boolean } = {}): string {
  const hint = startupHint(message)
  const action = (name: string, label: string, secondary = false) =>
    `<a class="btn${secondary ? ' secondary' : ''}" href="${ACTION_URL}${name}">${escapeHtml(label)}</a>`
  const body =
    `<h1>The console could not start</h1>` +
    `<pre>${escapeHtml(message)}</pre>` +
    (hint ? `<p>${escapeHtml(hint)}</p>` : '') +
    `<p>You can still open a console database read-only for review (File → Open database…).</p>` +
    `<div class="actions">` +
    (opts.canRetry !== false ? action('retry', 'Try again') : '') +
    action('open-database', 'Open database…', true) +
    action('quit', 'Quit', true) +
    `</div>`
  return page('kanade console — could not start', body)
}
