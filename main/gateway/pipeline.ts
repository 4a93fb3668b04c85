/**
 * The whole request path, in order. Add a stage here or nowhere.
 *   parse → authenticate → resolveRoute → checkGuardrails → enforceLimits → translate → checkContextWindow → callProvider
 *   → streamBack → recordUsage
 * `enforceLimits` reserves the call's estimate and returns a lease; `recordUsage` settles it exactly once.
 * `translate` and `streamBack` convert between the caller's dialect and the upstream's when they differ.
 * Every request leaves exactly one usage row, success or failure.
 * `checkGuardrails` (after resolveRoute) runs the workspace's guardrails on the request, and hands
 * `streamBack` the output checks for a non-streamed answer; results go on the usage row.
 */
import type { ServerResponse } from 'node:http'
import type { Endpoint } from '../providers/provider.ts'
import type { RoutingTableHolder } from '../routing/RoutingTable.ts'
import type { UsageWriter } from '../store/UsageWriter.ts'
import type { Lease } from '../limits/createGovernor.ts'
import type { HostResolver } from '../network/upstreamHost.ts'
import { noUsage } from '../dialects/openai/usage.ts'
import { authenticate } from './authenticate.ts'
import { callProvider } from './callProvider.ts'
import { enforceLimits, type GovernanceDeps } from './enforceLimits.ts'
import { GatewayError } from './GatewayError.ts'
import { header, parse } from './parse.ts'
import { recordUsage } from './recordUsage.ts'
import { resolveRoute } from './resolveRoute.ts'
import { streamBack } from './streamBack.ts'
import { translate } from './translate.ts'
import { checkContextWindow } from './checkContextWindow.ts'
import { checkGuardrails, guardResponse, type GuardrailRun } from './checkGuardrails.ts'
import { countTokensLocally } from './countTokensLocally.ts'
import type { Abort, Call, Client, GatewayRequest, Route } from './types.ts'

export type GatewayDeps = {
  routes: RoutingTableHolder
  usage: UsageWriter
  userAgent: string
  /** Budgets, rate limits, model access; absent: no governance (some benches and tests). */
  limits?: GovernanceDeps
  /** Resolves per-request custom hosts before they are checked; default: the OS resolver (tests inject one). */
  resolveHost?: HostResolver
}

export async function handle(
  req: GatewayRequest,
  res: ServerResponse,
  endpoint: Endpoint,
  abort: Abort,
  deps: GatewayDeps,
): Promise<void> {
  const ctx: { req: GatewayRequest; call: Call | null; client: Client | null; route: Route | null; endpoint: string; lease: Lease | null; guardrails: GuardrailRun | null } = {
    req,
    call: null,
    client: null,
    route: null,
    endpoint: req.path,
    lease: null,
    guardrails: null,
  }
  try {
    ctx.call = parse(req, endpoint)
    const table = deps.routes.current() // one snapshot for the whole request
    ctx.client = authenticate(req, table)
    ctx.route = resolveRoute(ctx.call, ctx.client, req, table)
    checkGuardrails(ctx, table) // may redact ctx.call.body or refuse the call
    ctx.lease = enforceLimits(ctx.route, ctx.call, ctx.client, req, table, deps.limits)
    const outgoing = translate(ctx.route, ctx.call) // identity when the dialects match
    const contextWarning = await checkContextWindow(ctx.route, ctx.call, outgoing)
    if (ctx.route.endpoint === 'count_tokens' && ctx.route.translate) {
      recordUsage(await countTokensLocally(outgoing, ctx.call, ctx.route, res, req.startedAt), ctx, deps.usage)
      return
    }
    const upstream = await callProvider(ctx.route, ctx.call, outgoing.body, {
      abort,
      timeoutMs: requestTimeout(req),
      userAgent: deps.userAgent,
      ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}),
    })
    const outcome = await streamBack(upstream, ctx.call, ctx.route, outgoing.canonical, res, {
      startedAt: req.startedAt,
      extraHeaders: responseHeaders(ctx.call, ctx.route),
      ...(ctx.guardrails ? { inspectBody: guardResponse(ctx.guardrails, ctx.call) } : {}),
    })
    recordUsage(contextWarning && !outcome.error ? { ...outcome, error: contextWarning } : outcome, ctx, deps.usage)
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
