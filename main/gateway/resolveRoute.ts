/**
 * Stage 3: decides which upstream serves the call, reading one routing snapshot. The four ways to
 * name a provider (Portkey's):
 *   1. `model: "@slug/model"`
 *   2. `x-portkey-provider: @slug` with a bare model
 *   3. `x-portkey-provider: <kind>` + `x-portkey-custom-host` (+ the client's own key, written in the
 *      form the provider documents, and `x-portkey-forward-headers`) for a server not in the catalog;
 *      Azure by Portkey's `x-portkey-azure-*` headers
 *   4. legacy `x-portkey-virtual-key: <slug>`
 * A bare model with none of these goes to the one provider in the workspace that serves it.
 */
import type { IntegrationSettings } from '../../preload/contract.ts'
import { providerKind } from '../providers/registry.ts'
import { applyAliases } from '../routing/compileAliases.ts'
import type { DialectId } from '../dialects/canonical.ts'
import { anthropicVersion } from '../providers/anthropic.ts'
import { chatEndpointOf, endpointPath, selfHostedBase, type Endpoint, type ProviderSpec, type UpstreamTarget } from '../providers/provider.ts'
import { azureFromHeaders, azureOpenai } from '../providers/azureOpenai.ts'
import type { RouteProvider, RoutingTable } from '../routing/RoutingTable.ts'
import { defaultUpstreamPolicy } from '../network/upstreamHost.ts'
import { GatewayError } from './GatewayError.ts'
import { header, readRouteHeaders } from './parse.ts'
import type { Call, Client, GatewayRequest, Route, RouteHeaders } from './types.ts'

/**
 * Headers never forwarded even when listed in `x-portkey-forward-headers`; nor is the one that
 * carried the Switchyard key (`Client.keyHeader`). `x-api-key` and `authorization` are forwarded
 * when they hold the caller's own provider credentials, as Portkey forwards them.
 */
const neverForward = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'x-portkey-api-key', 'cookie'])

/** `routing`: the request's routing headers, or a config target's in their place (attemptView.ts). */
export function resolveRoute(call: Call, client: Client, req: Pick<GatewayRequest, 'headers'>, table: RoutingTable, routing: RouteHeaders = readRouteHeaders(req)): Route {
  const named = routing.provider ?? routing.virtualKey
  let model = call.model
  // Aliases (the key's, then its workspace's) turn a client's model name into an @slug/model.
  if (model && !model.startsWith('@') && !named) {
    model = applyAliases(model, table.aliases.byKey.get(client.keyId)) ?? applyAliases(model, table.aliases.byWorkspace.get(client.workspaceId)) ?? model
  }
  let slug: string | undefined

  if (model?.startsWith('@')) {
    const slash = model.indexOf('/')
    if (slash < 0) throw new GatewayError('invalid_request', `model '${model}' must look like @provider-slug/model-name`, { param: 'model' })
    slug = model.slice(1, slash)
    model = model.slice(slash + 1) || undefined
  } else if (named?.startsWith('@') || (named && routing.virtualKey === named)) {
    slug = named.replace(/^@/, '')
  } else if (named) {
    return adHocRoute(named, call, client, req, table, routing)
  }

  const provider = slug !== undefined ? providerBySlug(slug, table) : providerForBareModel(model, client, table)
  if (provider.workspaceIds && !provider.workspaceIds.has(client.workspaceId)) {
    const ws = table.workspaces.get(client.workspaceId)?.slug ?? client.workspaceId
    throw new GatewayError('provider_not_allowed', `provider @${provider.slug} is not available in workspace '${ws}'`)
  }
  return catalogRoute(provider, model, call, client, req, routing)
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


const conversation = new Set<Endpoint>(['chat', 'messages', 'responses'])

/**
 * Which wire a call uses upstream: the caller's own when the provider speaks it (bytes pass through),
 * else the provider's conversation dialect, translated through canonical types. `count_tokens` for a
 * provider without it is answered locally with an estimate (`translate: true`, no upstream call).
 * A provider speaking several dialects (Vertex AI) picks one by `model`.
 */
export function wireFor(
  spec: ProviderSpec,
  call: Call,
  who: string,
  model?: string,
  settings: IntegrationSettings = {},
): { dialect: DialectId; endpoint: Endpoint; translate: boolean } {
  const dialect = (model !== undefined ? spec.modelDialect?.(model, settings) : undefined) ?? spec.dialect
  const native = spec.modelDialect ? [dialect] : (spec.nativeDialects ?? [spec.dialect])
  if (native.includes(call.dialect) && spec.endpoints.includes(call.endpoint)) {
    return { dialect: call.dialect, endpoint: call.endpoint, translate: false }
  }
  if (conversation.has(call.endpoint) || call.endpoint === 'count_tokens') {
    const endpoint = call.endpoint === 'count_tokens' ? 'count_tokens' : chatEndpointOf[dialect]
    return { dialect, endpoint, translate: true }
  }
  throw new GatewayError('unsupported_endpoint', `${who} (${spec.name}) does not support ${endpointPath[call.endpoint]}`)
}

/**
 * Headers only Anthropic upstreams get: always an `anthropic-version` (Anthropic requires one), the
 * caller's own on native calls, Switchyard's on translated ones; betas the caller asked for
 * (`anthropic-beta`, or Portkey's `x-portkey-anthropic-beta`) on native and translated calls alike.
 */
function anthropicHeaders(route: { dialect: DialectId; translate: boolean }, routing: RouteHeaders): Record<string, string> {
  if (route.dialect !== 'anthropic') return {}
  const version = route.translate ? undefined : routing.anthropicVersion
  const h: Record<string, string> = { 'anthropic-version': version ?? anthropicVersion }
  const beta = routing.anthropicBeta
  if (beta) h['anthropic-beta'] = beta
  return h
}

/** Portkey's `x-portkey-openai-organization` / `-project`, as OpenAI reads them (https://platform.openai.com/docs/api-reference/authentication). */
function openaiHeaders(spec: ProviderSpec, routing: RouteHeaders): Record<string, string> {
  if (spec.id !== 'openai') return {}
  const h: Record<string, string> = {}
  const organization = routing.openaiOrganization
  const project = routing.openaiProject
  if (organization) h['openai-organization'] = organization
  if (project) h['openai-project'] = project
  return h
}

/**
 * The caller's own credentials in the form the provider documents, whichever header they came in:
 * a bare key through the kind's `authHeaders` (Anthropic `x-api-key`, OpenAI and its clones
 * `Authorization: Bearer`); an Anthropic OAuth token (`sk-ant-oat…`, Claude Max) stays a Bearer token,
 * the only form Anthropic takes it in; any other Authorization scheme (Basic…) goes as it came.
 */
function callerAuth(spec: ProviderSpec, client: Client): Record<string, string> {
  const key = client.upstreamKey
  if (key) return spec.dialect === 'anthropic' && key.startsWith('sk-ant-oat') ? { authorization: `Bearer ${key}` } : spec.authHeaders(key)
  return client.upstreamAuthorization ? { authorization: client.upstreamAuthorization } : {}
}

/** Portkey's `x-portkey-strict-open-ai-compliance: false`, or a config's `strict_open_ai_compliance`. */
function complianceOf(routing: RouteHeaders): { strictOpenAiCompliance?: false } {
  return routing.strictOpenAiCompliance?.trim().toLowerCase() === 'false' ? { strictOpenAiCompliance: false } : {}
}


function injectUsage(spec: ProviderSpec, wire: { dialect: DialectId }, call: Call): boolean {
  return call.stream && wire.dialect === 'openai' && !call.clientWantsStreamUsage && spec.streamUsage === 'stream_options'
}

function catalogRoute(p: RouteProvider, model: string | undefined, call: Call, client: Client, req: Pick<GatewayRequest, 'headers'>, routing: RouteHeaders): Route {
  const wire = wireFor(p.spec, call, `@${p.slug}`, model, p.settings)
  const ctx = { baseUrl: p.baseUrl, settings: p.settings }
  const target = p.spec.target
    ? p.spec.target(wire.endpoint, model, ctx, { stream: call.stream })
    : { url: p.baseUrl + endpointPath[wire.endpoint], model: requireModel(model), pricingModel: requireModel(model) }
  // Claude Max / OAuth users: the caller's own Authorization goes upstream instead of a vault key.
  const useClientAuth = p.settings.useClientAuthorization === true
  if (useClientAuth && !client.upstreamAuthorization) {
    throw new GatewayError(
      'missing_api_key',
      `provider @${p.slug} forwards your own Authorization: send it, with your Switchyard key in x-portkey-api-key (ANTHROPIC_CUSTOM_HEADERS for Claude Code)`,
    )
  }
  if (p.spec.needsApiKey && !p.apiKey && !useClientAuth) {
    throw new GatewayError('provider_unreachable', `provider @${p.slug} has no API key stored; add one to integration '${p.integrationSlug}'`)
  }
  const auth = useClientAuth ? { authorization: client.upstreamAuthorization as string } : p.apiKey ? p.spec.authHeaders(p.apiKey.reveal()) : {}
  return {
    providerSlug: p.slug,
    providerId: p.id,
    integrationId: p.integrationId,
    spec: p.spec,
    ...wire,
    url: target.url,
    // The integration's own headers win over the caller's OpenAI organization and project.
    headers: { ...auth, ...openaiHeaders(p.spec, routing), ...p.settings.headers, ...anthropicHeaders(wire, routing) },
    model: target.model,
    pricingModel: target.pricingModel,
    price: p.prices.get(target.pricingModel),
    free: p.spec.category === 'self-hosted',
    timeoutMs: p.timeoutMs,
    injectStreamUsage: injectUsage(p.spec, wire, call),
    ...complianceOf(routing),
    contextWindow: p.settings.contextWindows?.[target.model] ?? p.settings.contextWindow ?? p.spec.defaultContextWindow ?? null,
    contextPolicy: p.settings.contextPolicy ?? 'refuse',
    ...(p.spec.transport ? { transport: { ...ctx, secret: p.apiKey } } : {}),
  }
}

function requireModel(model: string | undefined): string {
  if (!model) throw new GatewayError('model_required', "'model' is required, e.g. \"@openai/gpt-4o\"", { param: 'model' })
  return model
}

/** Route 3: a provider kind plus a custom host (or the kind's own URL with the client's key). */
function adHocRoute(kind: string, call: Call, client: Client, req: Pick<GatewayRequest, 'headers'>, table: RoutingTable, routing: RouteHeaders): Route {
  const spec = providerKind(kind)
  const azure = spec?.id === azureOpenai.id
  if (!spec || (spec.target && !azure) || spec.transport) {
    throw new GatewayError(
      'provider_not_found',
      `x-portkey-provider '${kind}' is neither an @slug nor a provider kind usable with a custom host`,
    )
  }
  let customHost = routing.customHost
  const wire = wireFor(spec, call, kind)
  let target: UpstreamTarget | null = null
  if (azure && spec.target) {
    // Azure's URL names the deployment and api-version; its resource host is the caller's choice, so checked like a custom host.
    const ctx = azureFromHeaders((name) => header(req, name), customHost, call.model)
    target = spec.target(wire.endpoint, undefined, ctx)
    customHost = ctx.baseUrl
  }
  const baseUrl = selfHostedBase(spec, (customHost ?? spec.baseUrl ?? '').replace(/\/+$/, ''))
  if (!baseUrl) throw new GatewayError('invalid_request', `provider kind '${kind}' needs x-portkey-custom-host`)
  let url: URL
  try {
    url = new URL(target?.url ?? baseUrl + endpointPath[wire.endpoint])
  } catch {
    throw new GatewayError('invalid_request', 'x-portkey-custom-host must be an absolute http(s) URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayError('invalid_request', 'x-portkey-custom-host must be an absolute http(s) URL')
  }
  if (!customHost && !client.upstreamAuthorization && !client.upstreamKey) {
    throw new GatewayError(
      'provider_not_found',
      `x-portkey-provider '${kind}' names a provider kind: use @slug for a provider in your catalog, or send the provider's key in Authorization (with your Switchyard key in x-portkey-api-key)`,
    )
  }
  const adToken = azure ? routing.azureAdToken : undefined
  const auth = adToken ? { authorization: `Bearer ${adToken.replace(/^Bearer\s+/i, '')}` } : callerAuth(spec, client)
  const headers: Record<string, string> = { ...auth, ...anthropicHeaders(wire, routing), ...openaiHeaders(spec, routing) }
  for (const name of (routing.forwardHeaders ?? '').split(',')) {
    const h = name.trim().toLowerCase()
    const v = h && !neverForward.has(h) && h !== client.keyHeader ? header(req, h) : undefined
    if (v !== undefined) headers[h] = v
  }
  // A model list names no model.
  // Azure reads the deployment from the URL: the body keeps the caller's model, if any.
  const model = call.endpoint === 'models' ? (call.model ?? '') : target ? (call.model ?? target.model) : requireModel(call.model)
  const pricingModel = target?.pricingModel ?? model
  return {
    providerSlug: null,
    spec,
    ...wire,
    url: url.toString(),
    headers,
    model,
    pricingModel,
    price: spec.knownModels.find((m) => m.id === pricingModel),
    free: spec.category === 'self-hosted',
    timeoutMs: 10 * 60 * 1000,
    injectStreamUsage: injectUsage(spec, wire, call),
    ...complianceOf(routing),
    // Checked after DNS in callProvider (network/upstreamHost.ts); the kind's own URL is built in and trusted.
    ...(customHost ? { customHost: { url: customHost, policy: table.network ?? defaultUpstreamPolicy } } : {}),
  }
}
