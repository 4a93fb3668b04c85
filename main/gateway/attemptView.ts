/**
 * What one config target turns a request into: the target's provider, key, custom host and forwarded
 * headers stand in for the caller's `x-portkey-*` headers, and its `override_params` are merged onto
 * the body (Portkey's rule: last write wins, plain objects merged deeply). A target that names no
 * provider (a config holding only `retry`, `cache`, `request_timeout`…) keeps the provider, custom
 * host and key the request's headers give, as Portkey combines them. Pure.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Attempt } from '../routing/config/planAttempts.ts'
import type { Call, Client, GatewayRequest } from './types.ts'

const targetHeaders = ['x-portkey-provider', 'x-portkey-virtual-key', 'x-portkey-custom-host', 'x-portkey-forward-headers']

export function attemptView(
  call: Call,
  client: Client,
  req: GatewayRequest,
  attempt: Attempt | null,
): { call: Call; client: Client; req: GatewayRequest } {
  if (!attempt) return { call, client, req }
  const headers: IncomingHttpHeaders = { ...req.headers }
  const t = attempt.target
  if (t.provider || t.virtual_key) for (const h of targetHeaders) delete headers[h]
  if (t.provider) headers['x-portkey-provider'] = t.provider
  if (t.virtual_key) headers['x-portkey-virtual-key'] = t.virtual_key
  if (t.custom_host) headers['x-portkey-custom-host'] = t.custom_host
  if (t.forward_headers?.length) headers['x-portkey-forward-headers'] = t.forward_headers.join(',')
  if (attempt.strictOpenAiCompliance !== null) headers['x-portkey-strict-open-ai-compliance'] = String(attempt.strictOpenAiCompliance)
  const body = mergeParams(call.body, attempt.overrideParams)
  // The target names the provider: a `@slug/` the caller put on the model no longer applies.
  let model = typeof body.model === 'string' ? body.model : undefined
  if (model?.startsWith('@') && (t.provider || t.virtual_key) && model.includes('/')) model = model.slice(model.indexOf('/') + 1)
  if (model !== undefined) body.model = model
  return {
    call: { ...call, body, model: model || undefined, stream: body.stream === true },
    client: t.api_key ? { ...client, upstreamKey: t.api_key, upstreamAuthorization: `Bearer ${t.api_key}` } : client,
    req: { ...req, headers },
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
