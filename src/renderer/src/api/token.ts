// The bearer token of the HTTP transport: taken from `?token=` on first load (then removed from
// the address bar), kept in sessionStorage for the tab's life, or typed into the login prompt.

const KEY = 'kanade.token'

export function adoptTokenFromUrl(loc: Location = window.location, hist: History = window.history): void {
  const params = new URLSearchParams(loc.search)
  const token = params.get('token')
  if (!token) return
  setToken(token)
  params.delete('token')
  const search = params.toString()
  hist.replaceState(hist.state, '', `${loc.pathname}${search ? `?${search}` : ''}${loc.hash}`)
}

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY)
  } catch {
    return null
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token.trim())
    else sessionStorage.removeItem(KEY)
  } catch {
    // storage disabled: the token lives only as long as the page
  }
}
