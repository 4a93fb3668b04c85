/**
 * The admin token's life in the browser: `serve` prints `/ui/#token=<token>`; on load we move the token
 * from the fragment into sessionStorage (survives reload, dies with the tab) and rewrite the address
 * bar without it, so it does not linger in history, screenshots or shared links.
 * Must not: send the token anywhere; only `lib/gateway.ts` puts it in a header.
 */

export const ADMIN_TOKEN_KEY = 'switchyard.adminToken'

type TokenHost = {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>
  history: Pick<History, 'replaceState'>
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>
}

/** Moves `#token=` (if any) into sessionStorage, cleans the URL, and returns the token in effect. */
export function captureAdminToken(host: TokenHost): string | null {
  const fragment = host.location.hash.replace(/^#/, '')
  const params = new URLSearchParams(fragment)
  const token = params.get('token')
  if (token !== null) {
    if (token !== '') host.sessionStorage.setItem(ADMIN_TOKEN_KEY, token)
    params.delete('token')
    const rest = params.toString()
    host.history.replaceState(
      null,
      '',
      `${host.location.pathname}${host.location.search}${rest ? `#${rest}` : ''}`,
    )
  }
  return readAdminToken(host)
}

/** True when the fragment carries a new token (the admin link pasted into an open tab). */
export function hasTokenFragment(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).has('token')
}

export function readAdminToken(host: Pick<TokenHost, 'sessionStorage'>): string | null {
  const token = host.sessionStorage.getItem(ADMIN_TOKEN_KEY)
  return token === null || token === '' ? null : token
}
