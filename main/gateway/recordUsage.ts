/**
 * Last stage: turns an outcome into one usage row and queues it (the write happens off the response
 * path), and settles the call's limit lease with the row's actual cost and tokens, exactly once.
 */
import { costMicros } from '../limits/cost.ts'
import type { Lease } from '../limits/createGovernor.ts'
import type { NewUsage, UsageWriter } from '../store/UsageWriter.ts'
import type { GuardrailResult } from '../../preload/contract.ts'
import type { Call, Client, GatewayRequest, Outcome, Route } from './types.ts'

export function recordUsage(
  o: Outcome,
  ctx: {
    req: GatewayRequest
    call: Call | null
    client: Client | null
    route: Route | null
    endpoint: string
    lease?: Lease | null
    guardrails?: { results: GuardrailResult[] } | null
  },
  writer: UsageWriter,
): NewUsage {
  const row: NewUsage = {
    createdAt: ctx.req.receivedAt,
    workspaceId: ctx.client?.workspaceId ?? null,
    apiKeyId: ctx.client?.keyId ?? null,
    providerSlug: ctx.route?.providerSlug ?? (ctx.route ? `${ctx.route.spec.id}:custom` : null),
    model: ctx.route?.pricingModel ?? ctx.call?.model ?? null,
    endpoint: ctx.endpoint,
    status: o.status,
    stream: ctx.call?.stream ?? false,
    latencyMs: o.latencyMs,
    ttfbMs: o.ttfbMs,
    inputTokens: o.usage.inputTokens,
    outputTokens: o.usage.outputTokens,
    cachedTokens: o.usage.cachedTokens,
    costMicros: ctx.route ? costMicros(o.usage, ctx.route.price, ctx.route.free, ctx.req.receivedAt) : null,
    metadata: withDefaults(ctx.call?.metadata ?? null, ctx.client?.key?.defaultMetadata ?? null),
    traceId: ctx.call?.traceId ?? '',
    error: o.error,
    cacheWriteTokens: o.usage.cacheWriteTokens ?? null,
    reasoningTokens: o.usage.reasoningTokens ?? null,
    integrationId: ctx.route?.integrationId ?? null,
    providerId: ctx.route?.providerId ?? null,
    admitted: ctx.lease != null,
    guardrails: ctx.guardrails?.results.length ? ctx.guardrails.results : null,
  }
  if (ctx.lease) {
    ctx.lease.settle({ costMicros: row.costMicros, tokens: (row.inputTokens ?? 0) + (row.outputTokens ?? 0) }, ctx.req.receivedAt + o.latencyMs)
    ctx.lease = null
  }
  writer.enqueue(row)
  return row
}

/** The key's default metadata, merged in; its values win, so attribution cannot be overridden per request. */
function withDefaults(m: Record<string, string> | null, defaults: Record<string, string> | null): Record<string, string> | null {
  return defaults ? { ...m, ...defaults } : m
}
