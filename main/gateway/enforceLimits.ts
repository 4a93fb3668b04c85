/**
 * Stage 4: governance, between `resolveRoute` and `callProvider`. Checks what the key may call
 * (scopes, providers), whether the integration has the model enabled, and admits the call against
 * every budget, rate limit and concurrency limit that applies, reserving its estimate. Returns the
 * lease that `recordUsage` settles exactly once. Memory only: no I/O, the clock comes from deps.
 */
import type { LimitSettings } from '../../preload/contract.ts'
import type { Governor, Lease } from '../limits/createGovernor.ts'
import { estimateCall, requestedMaxOutput } from '../limits/estimateCall.ts'
import { describeDenial, type LimitDenial } from '../limits/LimitDenial.ts'
import type { Price } from '../limits/Price.ts'
import type { RoutingTable } from '../routing/RoutingTable.ts'
import { GatewayError } from './GatewayError.ts'
import type { Call, Client, GatewayRequest, Route } from './types.ts'

export type GovernanceDeps = {
  governor: Governor
  settings(): LimitSettings
  /** Epoch ms; a fake clock in tests. */
  clock(): number
}

const noLimits: Lease = { settle() {} }

export function enforceLimits(
  route: Route,
  call: Call,
  client: Client,
  req: Pick<GatewayRequest, 'body'>,
  table: RoutingTable,
  deps: GovernanceDeps | undefined,
): Lease {
  const key = client.key
  if (key?.scopes && !key.scopes.has(call.endpoint)) {
    throw new GatewayError('key_scope_denied', `API key '${key.name}' may not call ${call.endpoint} (its scopes: ${[...key.scopes].join(', ') || 'none'})`)
  }
  if (key?.providerSlugs && (route.providerSlug === null || !key.providerSlugs.has(route.providerSlug))) {
    const allowed = [...key.providerSlugs].map((s) => `@${s}`).join(', ') || 'none'
    throw new GatewayError('key_scope_denied', `API key '${key.name}' may not use ${route.providerSlug ? `@${route.providerSlug}` : 'a custom host'} (allowed: ${allowed})`)
  }
  const provider = route.providerSlug === null ? undefined : table.providers.get(route.providerSlug)
  if (provider?.modelAccess) {
    const { states, autoEnableNew } = provider.modelAccess
    if (!(states.get(route.model) ?? autoEnableNew)) {
      const ws = table.workspaces.get(client.workspaceId)?.slug ?? client.workspaceId
      throw new GatewayError(
        'model_not_provisioned',
        `model '${route.model}' is not enabled on @${provider.slug} (integration '${provider.integrationSlug}') for workspace '${ws}'; enable it in the integration's model list`,
        { param: 'model' },
      )
    }
  }
  const cap = provider?.maxOutputTokens?.get(route.model)
  const asked = requestedMaxOutput(call.body)
  if (cap !== undefined && asked !== undefined && asked > cap) {
    throw new GatewayError('invalid_request', `model '${route.model}' on @${provider?.slug} allows at most ${cap} output tokens; this request asks for ${asked}`, { param: 'max_tokens' })
  }
  if (!deps || !deps.governor.active()) return noLimits
  const at = deps.clock()
  const price = route.price as Price | undefined
  const e = estimateCall(call, req.body.length, price && 'source' in price ? price : undefined, route.free, deps.settings().defaultMaxOutputTokens, at)
  const admission = deps.governor.admit({
    integrationId: provider?.integrationId ?? null,
    providerId: provider?.id ?? null,
    workspaceId: client.workspaceId,
    keyId: client.keyId,
    costMicros: e.costMicros,
    tokens: e.tokens,
    rateTokens: e.rateTokens,
    at,
  })
  if (admission.ok) return admission.lease
  throw limitError(admission.denial, admission.others, at)
}


/** The error for a refusal: 412 for money (not retried by clients), 429 with Retry-After for rates. */
export function limitError(d: LimitDenial, others: readonly LimitDenial[], now: number): GatewayError {
  const message = describeDenial(d, now)
  if (d.kind === 'budget' || d.kind === 'price_unknown') {
    return new GatewayError(d.kind === 'budget' ? 'budget_exceeded' : 'price_unknown', message, { limit: d, headers: { 'x-should-retry': 'false' } })
  }
  // A retry must satisfy every rate limit that refused, so wait for the slowest.
  let wait = d.retryAfterMs
  for (const o of others) if (o.kind === 'rate' || o.kind === 'concurrency') wait = wait === null || o.retryAfterMs === null ? null : Math.max(wait, o.retryAfterMs)
  const headers: Record<string, string> = {}
  if (wait === null) headers['x-should-retry'] = 'false'
  else {
    headers['retry-after'] = String(Math.max(1, Math.ceil(wait / 1000)))
    headers['retry-after-ms'] = String(Math.max(1, Math.ceil(wait)))
    // SDKs sleep for whatever Retry-After says: past a per-minute window, let the program decide instead.
    if (wait > 90_000) headers['x-should-retry'] = 'false'
  }
  return new GatewayError('rate_limited', message, { limit: d, headers })
}
