/**
 * The whole request path, in order. Add a stage here or nowhere.
 *   parse → authenticate → resolveRoute → callProvider → streamBack → recordUsage
 * Limits (`enforceLimits`) and dialect translation join this line with their issues.
 * Every request leaves exactly one usage row, success or failure.
 */
import type { ServerResponse } from 'node:http'
import type { Endpoint } from '../providers/provider.ts'
import type { RoutingTableHolder } from '../routing/RoutingTable.ts'
import type { UsageWriter } from '../store/UsageWriter.ts'
import { noUsage } from '../dialects/openai/usage.ts'
import { authenticate } from './authenticate.ts'
import { callProvider } from './callProvider.ts'
import { GatewayError } from './GatewayError.ts'
import { header, parse } from './parse.ts'
import { recordUsage } from './recordUsage.ts'
import { resolveRoute } from './resolveRoute.ts'
import { streamBack } from './streamBack.ts'
import type { Call, Client, GatewayRequest, Route } from './types.ts'

export type GatewayDeps = {
  routes: RoutingTableHolder
  usage: UsageWriter
  userAgent: string
}

export async function handle(
  req: GatewayRequest,
  res: ServerResponse,
  endpoint: Endpoint,
  signal: AbortSignal,
  deps: GatewayDeps,
): Promise<void> {
  const ctx: { req: GatewayRequest; call: Call | null; client: Client | null; route: Route | null; endpoint: string } = {
    req,
    call: null,
    client: null,
    route: null,
    endpoint: req.path,
  }
  try {
    ctx.call = parse(req, endpoint)
    const table = deps.routes.current() // one snapshot for the whole request
    ctx.client = authenticate(req, table)
    ctx.route = resolveRoute(ctx.call, ctx.client, req, table)
    const upstream = await callProvider(ctx.route, ctx.call, {
      signal,
      timeoutMs: requestTimeout(req),
      userAgent: deps.userAgent,
    })
    const outcome = await streamBack(upstream.response, ctx.call, ctx.route, res, {
      startedAt: req.startedAt,
      extraHeaders: responseHeaders(ctx.call, ctx.route),
    })
    recordUsage(outcome, ctx, deps.usage)
  } catch (err) {
    const e = err instanceof GatewayError ? err : new GatewayError('internal_error', 'internal error', { cause: err })
    const latencyMs = Math.round(performance.now() - req.startedAt)
    recordUsage({ status: e.status, usage: noUsage, ttfbMs: null, latencyMs, error: e.message }, ctx, deps.usage)
    throw e // server.ts renders it in the caller's format
  }
}

export function responseHeaders(call: Call, route: Route): Record<string, string> {
  const h: Record<string, string> = { 'x-portkey-trace-id': call.traceId }
  if (route.providerSlug) h['x-portkey-provider'] = `@${route.providerSlug}`
  return h
}

function requestTimeout(req: GatewayRequest): number | undefined {
  const raw = header(req, 'x-portkey-request-timeout')
  if (raw === undefined) return undefined
  const ms = Number(raw)
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new GatewayError('invalid_request', 'x-portkey-request-timeout must be a positive whole number of milliseconds')
  }
  return ms
}
