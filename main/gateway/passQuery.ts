/**
 * Passthrough keeps the caller's query string: Claude Code calls `POST /v1/messages?beta=true` and an
 * Anthropic upstream should see the same URL. Only when no translation happens (a query means
 * nothing in another dialect) and the upstream URL has no query of its own (Azure's `api-version`,
 * which a caller's query must not duplicate or override).
 */
import type { GatewayRequest, Route } from './types.ts'

export function passQuery(route: Route, req: Pick<GatewayRequest, 'query'>): Route {
  if (!req.query || route.translate || route.transport || route.url.includes('?')) return route
  return { ...route, url: `${route.url}?${req.query}` }
}
