/** The headers every answer carries: the trace id, and the provider that served it. */
import type { Call, Route } from './types.ts'

export function responseHeaders(call: Call, route: Route): Record<string, string> {
  const h: Record<string, string> = { 'x-portkey-trace-id': call.traceId }
  if (route.providerSlug) h['x-portkey-provider'] = `@${route.providerSlug}`
  return h
}
