/**
 * Stage 3: decides which upstream serves the call, reading one routing snapshot. The four ways to
 * name a provider (Portkey's):
 *   1. `model: "@slug/model"`
 *   2. `x-portkey-provider: @slug` with a bare model
 *   3. `x-portkey-provider: <kind>` + `x-portkey-custom-host` (+ the client's own Authorization and
 *      `x-portkey-forward-headers`) for a server not in the catalog
 *   4. legacy `x-portkey-virtual-key: <slug>`
 * A bare model with none of these goes to the one provider in the workspace that serves it.
 */
import { providerKind } from '../providers/registry.ts'
import { endpointPath, type Endpoint, type ProviderSpec } from '../providers/provider.ts'
import type { RouteProvider, RoutingTable } from '../routing/RoutingTable.ts'
import { GatewayError } from './GatewayError.ts'
import { header } from './parse.ts'
import type { Call, Client, GatewayRequest, Route } from './types.ts'

/** Headers never forwarded even when listed in `x-portkey-forward-headers`. */
const neverForward = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'x-portkey-api-key', 'x-api-key', 'cookie'])

export function resolveRoute(call: Call, client: Client, req: Pick<GatewayRequest, 'headers'>, table: RoutingTable): Route {
  const named = header(req, 'x-portkey-provider') ?? header(req, 'x-portkey-virtual-key')
  let model = call.model
  let slug: string | undefined

  if (model?.startsWith('@')) {
    const slash = model.indexOf('/')
    if (slash < 0) throw new GatewayError('invalid_request', `model '${model}' must look like @provider-slug/model-name`, { param: 'model' })
    slug = model.slice(1, slash)
    model = model.slice(slash + 1) || undefined
  } else if (named?.startsWith('@') || (named && header(req, 'x-portkey-virtual-key') === named)) {
    slug = named.replace(/^@/, '')
  } else if (named) {
    return adHocRoute(named, call, client, req)
  }

  const provider = slug !== undefined ? providerBySlug(slug, table) : providerForBareModel(model, client, table)
  if (provider.workspaceIds && !provider.workspaceIds.has(client.workspaceId)) {
    const ws = table.workspaces.get(client.workspaceId)?.slug ?? client.workspaceId
    throw new GatewayError('provider_not_allowed', `provider @${provider.slug} is not available in workspace '${ws}'`)
  }
  return catalogRoute(provider, model, call)
}

function providerBySlug(slug: string, table: RoutingTable): RouteProvider {
  const p = table.providers.get(slug)
  if (!p) {
    const known = [...table.providers.keys()].map((s) => `@${s}`).join(', ') || 'none yet: add one in Switchyard'
    throw new GatewayError('provider_not_found', `no provider @${slug} (providers: ${known})`)
  }
  return p
}

function providerForBareModel(model: string | undefined, client: Client, table: RoutingTable): RouteProvider {
  if (!model) throw new GatewayError('model_required', "'model' is required, e.g. \"@openai/gpt-4o\"", { param: 'model' })
  const candidates = [...table.providers.values()].filter(
    (p) => p.models.has(model) && (!p.workspaceIds || p.workspaceIds.has(client.workspaceId)),
  )
  if (candidates.length === 1) return candidates[0] as RouteProvider
  if (candidates.length === 0) {
    throw new GatewayError(
      'model_not_found',
      `no provider in this workspace is known to serve '${model}'; name one: "@provider-slug/${model}" or the x-portkey-provider header`,
      { param: 'model' },
    )
  }
  const options = candidates.map((p) => `@${p.slug}/${model}`).join(', ')
  throw new GatewayError('model_not_found', `'${model}' is served by several providers; choose one: ${options}`, { param: 'model' })
}

function requireEndpoint(spec: ProviderSpec, endpoint: Endpoint, who: string): void {
  if (!spec.endpoints.includes(endpoint)) {
    throw new GatewayError('unsupported_endpoint', `${who} (${spec.name}) does not support ${endpointPath[endpoint]}`)
  }
}

function catalogRoute(p: RouteProvider, model: string | undefined, call: Call): Route {
  requireEndpoint(p.spec, call.endpoint, `@${p.slug}`)
  const ctx = { baseUrl: p.baseUrl, settings: p.settings }
  const target = p.spec.target
    ? p.spec.target(call.endpoint, model, ctx)
    : { url: p.baseUrl + endpointPath[call.endpoint], model: requireModel(model), pricingModel: requireModel(model) }
  if (p.spec.needsApiKey && !p.apiKey) {
    throw new GatewayError('provider_unreachable', `provider @${p.slug} has no API key stored; add one to integration '${p.integrationSlug}'`)
  }
  return {
    providerSlug: p.slug,
    providerId: p.id,
    integrationId: p.integrationId,
    spec: p.spec,
    url: target.url,
    headers: { ...(p.apiKey ? p.spec.authHeaders(p.apiKey.reveal()) : {}), ...p.settings.headers },
    model: target.model,
    pricingModel: target.pricingModel,
    price: p.prices.get(target.pricingModel),
    free: p.spec.category === 'self-hosted',
    timeoutMs: p.timeoutMs,
    injectStreamUsage: call.stream && !call.clientWantsStreamUsage && p.spec.streamUsage === 'stream_options',
  }
}

function requireModel(model: string | undefined): string {
  if (!model) throw new GatewayError('model_required', "'model' is required, e.g. \"@openai/gpt-4o\"", { param: 'model' })
  return model
}

/** Route 3: a provider kind plus a custom host (or the kind's own URL with the client's key). */
function adHocRoute(kind: string, call: Call, client: Client, req: Pick<GatewayRequest, 'headers'>): Route {
  const spec = providerKind(kind)
  if (!spec || spec.target) {
    throw new GatewayError(
      'provider_not_found',
      `x-portkey-provider '${kind}' is neither an @slug nor a provider kind usable with a custom host`,
    )
  }
  const customHost = header(req, 'x-portkey-custom-host')
  const baseUrl = (customHost ?? spec.baseUrl ?? '').replace(/\/+$/, '')
  if (!baseUrl) throw new GatewayError('invalid_request', `provider kind '${kind}' needs x-portkey-custom-host`)
  let url: URL
  try {
    url = new URL(baseUrl + endpointPath[call.endpoint])
  } catch {
    throw new GatewayError('invalid_request', 'x-portkey-custom-host must be an absolute http(s) URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayError('invalid_request', 'x-portkey-custom-host must be an absolute http(s) URL')
  }
  if (!customHost && !client.upstreamAuthorization) {
    throw new GatewayError(
      'provider_not_found',
      `x-portkey-provider '${kind}' names a provider kind: use @slug for a provider in your catalog, or send the provider's key in Authorization (with your Switchyard key in x-portkey-api-key)`,
    )
  }
  requireEndpoint(spec, call.endpoint, kind)
  const headers: Record<string, string> = {}
  if (client.upstreamAuthorization) headers.authorization = client.upstreamAuthorization
  for (const name of (header(req, 'x-portkey-forward-headers') ?? '').split(',')) {
    const h = name.trim().toLowerCase()
    const v = h && !neverForward.has(h) ? header(req, h) : undefined
    if (v !== undefined) headers[h] = v
  }
  const model = requireModel(call.model)
  return {
    providerSlug: null,
    spec,
    url: url.toString(),
    headers,
    model,
    pricingModel: model,
    price: spec.knownModels.find((m) => m.id === model),
    free: spec.category === 'self-hosted',
    timeoutMs: 10 * 60 * 1000,
    injectStreamUsage: call.stream && !call.clientWantsStreamUsage && spec.streamUsage === 'stream_options',
  }
}
