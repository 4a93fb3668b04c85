/** Stage 6: turns an outcome into one usage row and queues it (the write happens off the response path). */
import { costMicros } from '../limits/cost.ts'
import type { NewUsage, UsageWriter } from '../store/UsageWriter.ts'
import type { Call, Client, GatewayRequest, Outcome, Route } from './types.ts'

export function recordUsage(
  o: Outcome,
  ctx: { req: GatewayRequest; call: Call | null; client: Client | null; route: Route | null; endpoint: string },
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
    costMicros: ctx.route ? costMicros(o.usage, ctx.route.price, ctx.route.free) : null,
    metadata: ctx.call?.metadata ?? null,
    traceId: ctx.call?.traceId ?? '',
    error: o.error,
  }
  writer.enqueue(row)
  return row
}
