/**
 * What one config target turns a request into: the target's provider, key, custom host and forwarded
 * headers stand in for the caller's `x-portkey-*` headers (as typed `RouteHeaders`, the request itself
 * untouched), and its `override_params` are merged onto the body (Portkey's rule: last write wins,
 * plain objects merged deeply). A target that names no provider (a config holding only `retry`,
 * `cache`, `request_timeout`…) keeps the provider, custom host and key the request's headers give, as
 * Portkey combines them. Pure.
 */
import type { Attempt } from '../routing/config/planAttempts.ts'
import type { Call, Client, RouteHeaders } from './types.ts'

/** The call and client a target turns the request into; its routing headers come from `routeHeaders`. */
export function attemptView(call: Call, client: Client, attempt: Attempt | null): { call: Call; client: Client } {
  if (!attempt) return { call, client }
  const t = attempt.target
  const body = mergeParams(call.body, attempt.overrideParams)
  // The target names the provider: a `@slug/` the caller put on the model no longer applies.
  let model = typeof body.model === 'string' ? body.model : undefined
  if (model?.startsWith('@') && (t.provider || t.virtual_key) && model.includes('/')) model = model.slice(model.indexOf('/') + 1)
  if (model !== undefined) body.model = model
  return {
    call: { ...call, body, model: model || undefined, stream: body.stream === true },
    client: t.api_key ? { ...client, upstreamKey: t.api_key, upstreamAuthorization: `Bearer ${t.api_key}` } : client,
  }
}

/**
 * The routing headers for one attempt: the request's (`asked`), with a target that names a provider
 * (or a virtual key) replacing all four of provider, virtual key, custom host and forwarded headers.
 */
export function routeHeaders(asked: RouteHeaders, attempt: Attempt | null): RouteHeaders {
  if (!attempt) return asked
  const t = attempt.target
  const own = !(t.provider || t.virtual_key) // the request's headers still apply
  return {
    ...asked,
    provider: t.provider || (own ? asked.provider : undefined),
    virtualKey: t.virtual_key || (own ? asked.virtualKey : undefined),
    customHost: t.custom_host || (own ? asked.customHost : undefined),
    forwardHeaders: t.forward_headers?.length ? t.forward_headers.join(',') : own ? asked.forwardHeaders : undefined,
    strictOpenAiCompliance: attempt.strictOpenAiCompliance !== null ? String(attempt.strictOpenAiCompliance) : asked.strictOpenAiCompliance,
  }
}

/** `override_params` on top of the request: scalars and arrays replaced, plain objects merged deeply. */
export function mergeParams(base: Record<string, unknown>, over: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!over) return { ...base }
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const b = out[k]
    out[k] = isPlain(v) && isPlain(b) ? mergeParams(b, v) : v
  }
  return out
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
