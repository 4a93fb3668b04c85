/**
 * Last stage: turns an outcome into one usage row and hands it to the writer (committed at once:
 * see UsageWriter), and settles the call's limit lease with the row's actual cost and tokens, exactly
 * once. A client that left before the upstream reported usage is charged what it was sent, with the
 * input at its estimate (characters / 4, OpenAI's rule), never zero; the row says so. The error text
 * and metadata pass the scrubber on their way into the database.
 */
import { costMicros } from '../limits/cost.ts'
import type { Lease } from '../limits/createGovernor.ts'
import type { NewUsage, UsageWriter } from '../store/UsageWriter.ts'
import type { AttemptRecord, GuardrailResult } from '../../preload/contract.ts'
import { scrubberFor } from '../scrubber.ts'
import type { Call, Client, GatewayRequest, Outcome, Route, Usage } from './types.ts'

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
    attempts?: AttemptRecord[] | null
  },
  writer: UsageWriter,
): NewUsage {
  const usage = o.usageSource === 'delivered' ? deliveredUsage(o.usage, ctx.req.body.length) : o.usage
  const clean = o.error !== null || ctx.call?.metadata || ctx.client?.key?.defaultMetadata ? scrubberFor(ctx.route?.headers).text : null
  const metadata = withDefaults(ctx.call?.metadata ?? null, ctx.client?.key?.defaultMetadata ?? null)
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
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedTokens,
    costMicros: ctx.route ? costMicros(usage, ctx.route.price, ctx.route.free, ctx.req.receivedAt) : null,
    metadata: metadata && clean ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, clean(v)])) : metadata,
    traceId: ctx.call?.traceId ?? '',
    error: o.error !== null && clean ? clean(o.error) : o.error,
    cacheWriteTokens: usage.cacheWriteTokens ?? null,
    reasoningTokens: usage.reasoningTokens ?? null,
    integrationId: ctx.route?.integrationId ?? null,
    providerId: ctx.route?.providerId ?? null,
    admitted: ctx.lease != null,
    guardrails: ctx.guardrails?.results.length ? ctx.guardrails.results : null,
    ...(o.usageSource ? { usageSource: o.usageSource } : {}),
    ...(ctx.attempts ? { attempts: ctx.attempts } : {}),
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

/** The input at its estimate when the upstream never said; output as counted by streamBack. */
function deliveredUsage(u: Usage, bodyBytes: number): Usage {
  return { ...u, inputTokens: u.inputTokens ?? Math.ceil(bodyBytes / 4), outputTokens: u.outputTokens ?? 0 }
}
