/**
 * The whole request path, in order. Add a stage here or nowhere.
 *   parse → checkPaused → authenticate → checkGuardrails → selectConfig → for each planned target:
 *     resolveRoute → enforceLimits → translate → checkContextWindow → (cache) → callProvider
 *     → (retry | fall back | streamBack) → recordUsage
 * Without a config there is one target: the one the request names. `enforceLimits` reserves the
 * call's estimate and returns a lease; `recordUsage` settles it exactly once. `translate` and
 * `streamBack` convert between the caller's dialect and the upstream's when they differ. Retries
 * and fallbacks happen only before the first byte reaches the client. Every request leaves exactly
 * one usage row, success or failure.
 */
import type { ServerResponse } from 'node:http'
import type { Endpoint } from '../providers/provider.ts'
import type { RoutingTableHolder } from '../routing/RoutingTable.ts'
import type { NewUsage, UsageWriter } from '../store/UsageWriter.ts'
import type { BodiesRepo } from '../store/bodiesRepo.ts'
import type { Lease } from '../limits/createGovernor.ts'
import type { HostResolver } from '../network/upstreamHost.ts'
import { planAttempts, type Attempt } from '../routing/config/planAttempts.ts'
import { nextAttemptIndex } from '../routing/config/nextAttemptIndex.ts'
import type { CircuitBreaker } from '../reliability/createCircuitBreaker.ts'
import type { ResponseCache } from '../reliability/responseCache.ts'
import { isRetriableStatus, retryDelayMs } from '../reliability/retryDelay.ts'
import { noUsage } from '../dialects/openai/usage.ts'
import { log } from '../log.ts'
import { attemptView } from './attemptView.ts'
import { captureBodies } from './captureBodies.ts'
import { attributeCall } from './attributeCall.ts'
import { authenticate } from './authenticate.ts'
import { callProvider, type UpstreamResponse } from './callProvider.ts'
import { enforceLimits, type GovernanceDeps } from './enforceLimits.ts'
import { GatewayError } from './GatewayError.ts'
import { header, parse } from './parse.ts'
import { passQuery } from './passQuery.ts'
import { recordUsage } from './recordUsage.ts'
import { resolveRoute } from './resolveRoute.ts'
import { selectConfig } from './selectConfig.ts'
import { streamBack } from './streamBack.ts'
import { translate } from './translate.ts'
import { checkContextWindow } from './checkContextWindow.ts'
import { checkPaused } from './checkPaused.ts'
import { checkGuardrails, guardResponse, type GuardrailRun } from './checkGuardrails.ts'
import { countTokensLocally } from './countTokensLocally.ts'
import type { Abort, Call, Client, GatewayRequest, Route } from './types.ts'

export type GatewayDeps = {
  routes: RoutingTableHolder
  usage: UsageWriter
  /** Where captured bodies go when Settings → body capture is on (read live from the routing snapshot). */
  bodies?: BodiesRepo
  userAgent: string
  /** Budgets, rate limits, model access; absent: no governance (some benches and tests). */
  limits?: GovernanceDeps
  /** Resolves per-request custom hosts before they are checked; default: the OS resolver (tests inject one). */
  resolveHost?: HostResolver
  /** Skips targets that keep failing (configs with several targets). */
  breaker?: CircuitBreaker
  /** Exact-match response cache, for configs that enable it. */
  cache?: ResponseCache
  /** True while the gateway is paused (tray, Control API): calls are refused with 503. */
  paused?: () => boolean
  /** Injected in tests: randomness (load balancing, jitter), waiting, the clock. */
  random?: () => number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

type Ctx = {
  req: GatewayRequest
  call: Call | null
  client: Client | null
  route: Route | null
  endpoint: string
  lease: Lease | null
  guardrails: GuardrailRun | null
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref())

export async function handle(req: GatewayRequest, res: ServerResponse, endpoint: Endpoint, abort: Abort, deps: GatewayDeps): Promise<void> {
  const ctx: Ctx = { req, call: null, client: null, route: null, endpoint: req.path, lease: null, guardrails: null }
  let retried = 0
  let lastIndex: string | null = null // the config target tried last, for Portkey's headers on errors too
  try {
    ctx.call = parse(req, endpoint)
    checkPaused(deps.paused)
    const table = deps.routes.current() // one snapshot for the whole request
    ctx.client = authenticate(req, table)
    ctx.call = attributeCall(ctx.call, table.attribution !== false) // project/branch from an agent's prompt, into metadata
    const config = selectConfig(req, ctx.client, table)
    checkGuardrails(ctx, table, config?.guardrails ?? null) // the workspace's and the config's; may redact ctx.call.body or refuse the call
    const random = deps.random ?? Math.random
    const attempts: Array<Attempt | null> = config ? planAttempts(config.plan, { params: ctx.call.body, metadata: ctx.call.metadata ?? {} }, random) : [null]
    const original = { call: ctx.call, client: ctx.client }
    let waitedMs = 0
    let lastFailure: GatewayError | null = null

    for (let i = 0; i >= 0 && i < attempts.length; ) {
      const attempt = attempts[i] ?? null
      const here = i
      const last = !attempt || nextAttemptIndex(attempts as Attempt[], here, 500) < 0
      const view = attemptView(original.call, original.client, req, attempt)
      if (attempt) lastIndex = attempt.jsonPath
      const route = passQuery(resolveRoute(view.call, view.client, view.req, table), req)
      // Breakers guard the targets of configs; a request without one has nowhere else to go.
      const breaker = attempt ? deps.breaker : undefined
      const breakerKey = breaker ? `${route.providerSlug ?? route.url}|${route.model}` : ''
      if (breaker && !last && !breaker.allow(breakerKey)) {
        log.info('circuit open: target skipped', { traceId: view.call.traceId, target: breakerKey })
        i = nextAttemptIndex(attempts as Attempt[], here, 503)
        continue
      }
      ctx.call = view.call
      ctx.route = route
      // A target that failed before answering cost nothing: its reservation is settled at zero.
      ctx.lease?.settle({ costMicros: 0, tokens: 0 }, (deps.now ?? Date.now)())
      ctx.lease = enforceLimits(route, view.call, view.client, view.req, table, deps.limits)
      const outgoing = translate(route, view.call) // identity when the dialects match
      const contextWarning = await checkContextWindow(route, view.call, outgoing)
      if (route.endpoint === 'count_tokens' && route.translate) {
        recordUsage(await countTokensLocally(outgoing, view.call, route, res, req.startedAt), ctx, deps.usage)
        return
      }
      const headers: Record<string, string> = { ...responseHeaders(view.call, route) }
      if (attempt) headers['x-portkey-last-used-option-index'] = attempt.jsonPath

      // Exact-match cache: only configs that ask for it, only whole (non-streamed) answers.
      const cacheKey = attempt?.cache && deps.cache && !view.call.stream ? deps.cache.key({ target: `${view.client.workspaceId}|${route.providerSlug ?? route.url}|${route.dialect}|${view.call.dialect}${route.strictOpenAiCompliance === false ? '|loose' : ''}`, canonical: outgoing.canonical ?? outgoing.body }) : null
      if (cacheKey && deps.cache) {
        const refresh = header(req, 'x-portkey-cache-force-refresh') === 'true'
        const hit = refresh ? null : deps.cache.get(cacheKey, attempt?.cache?.max_age ?? null)
        headers['x-portkey-cache-status'] = refresh ? 'REFRESH' : hit ? 'HIT' : 'MISS'
        if (hit) return serveCached(hit, headers, res, ctx, deps)
      }

      const retry = attempt?.retry ?? null
      for (let r = 0; ; r++) {
        let upstream: UpstreamResponse
        try {
          upstream = await callProvider(route, view.call, outgoing.body, {
            abort,
            timeoutMs: attempt?.requestTimeoutMs ?? requestTimeout(req),
            userAgent: deps.userAgent,
            ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}),
          })
        } catch (err) {
          const e = err instanceof GatewayError ? err : new GatewayError('internal_error', 'internal error', { cause: err })
          if (e.status === 499 || abort.aborted) throw e
          if (retry && r < retry.attempts && isRetriableStatus(e.status, retry.on_status_codes)) {
            const wait = retryDelayMs(r + 1, { now: (deps.now ?? Date.now)(), random, waitedMs })
            if (wait >= 0) {
              retried++
              waitedMs += wait
              await (deps.sleep ?? defaultSleep)(wait)
              continue
            }
          }
          breaker?.failure(breakerKey)
          const next = attempt ? nextAttemptIndex(attempts as Attempt[], here, e.status) : -1
          if (next < 0) throw e
          lastFailure = e
          i = next
          break
        }
        if (upstream.status >= 400) {
          if (retry && r < retry.attempts && isRetriableStatus(upstream.status, retry.on_status_codes) && !abort.aborted) {
            const wait = retryDelayMs(r + 1, {
              now: (deps.now ?? Date.now)(),
              random,
              waitedMs,
              retryAfter: retry.use_retry_after_headers ? headerOf(upstream, 'retry-after') : null,
              retryAfterMs: retry.use_retry_after_headers ? headerOf(upstream, 'retry-after-ms') : null,
            })
            if (wait >= 0) {
              upstream.body.destroy()
              retried++
              waitedMs += wait
              await (deps.sleep ?? defaultSleep)(wait)
              continue
            }
          }
          if (upstream.status >= 500 || upstream.status === 429) breaker?.failure(breakerKey)
          const next = attempt ? nextAttemptIndex(attempts as Attempt[], here, upstream.status) : -1
          if (next >= 0) {
            upstream.body.destroy()
            lastFailure = new GatewayError('upstream_error', `${(attempt as Attempt).jsonPath} answered HTTP ${upstream.status}`, { status: upstream.status })
            i = next
            break
          }
        } else breaker?.success(breakerKey)
        // With a config, always (0 included), as Portkey sends it.
        if (retried || attempt) headers['x-portkey-retry-attempt-count'] = String(retried)
        let sent: Buffer | null = null
        const guard = ctx.guardrails ? guardResponse(ctx.guardrails, view.call) : undefined
        const recorded: { row: NewUsage | null } = { row: null }
        const capture = table.bodyCapture && deps.bodies ? captureBodies(res, outgoing.body, route.headers, deps.bodies) : null
        const outcome = await streamBack(upstream, view.call, route, outgoing.canonical, res, {
          startedAt: req.startedAt,
          extraHeaders: headers,
          // Recorded before the answer's last byte goes out (crash safety: see UsageWriter).
          record: (o) => void (recorded.row = recordUsage(contextWarning && !o.error ? { ...o, error: contextWarning } : o, ctx, deps.usage)),
          ...(guard || cacheKey ? { inspectBody: (body: Buffer) => (sent = guard ? guard(body) : body) } : {}),
        })
        const row = recorded.row ?? recordUsage(outcome, ctx, deps.usage)
        capture?.keep(row)
        if (cacheKey && deps.cache && sent && outcome.status < 400) {
          // What a later hit saves is what this answer cost.
          deps.cache.put(cacheKey, {
            status: outcome.status,
            headers: { 'content-type': 'application/json' },
            body: sent,
            stream: false,
            inputTokens: outcome.usage.inputTokens,
            outputTokens: outcome.usage.outputTokens,
            costMicros: row.costMicros,
          })
        }
        return
      }
      log.info('falling back', { traceId: view.call.traceId, from: (attempt as Attempt).jsonPath, to: attempts[i]?.jsonPath, reason: lastFailure?.message })
    }
    throw lastFailure ?? new GatewayError('provider_unreachable', 'every target of the config was skipped (circuit open)')
  } catch (err) {
    const e = asRequestError(err)
    const latencyMs = Math.round(performance.now() - req.startedAt)
    recordUsage({ status: e.status, usage: noUsage, ttfbMs: null, latencyMs, error: e.message }, ctx, deps.usage)
    if (lastIndex !== null) Object.assign(e.headers, { 'x-portkey-retry-attempt-count': String(retried), 'x-portkey-last-used-option-index': lastIndex })
    throw e // server.ts renders it in the caller's format
  }
}

/** A stack overflow here comes from a body nested too deeply to walk (100,000 levels): the caller's fault, 400. */
function asRequestError(err: unknown): GatewayError {
  const cause = err instanceof GatewayError && err.code === 'internal_error' ? err.cause : err
  if (cause instanceof RangeError && /call stack/i.test(cause.message)) return new GatewayError('invalid_request', 'request body is nested too deeply')
  if (err instanceof GatewayError) return err
  return new GatewayError('internal_error', 'internal error', { cause: err })
}

function headerOf(upstream: UpstreamResponse, name: string): string | null {
  const v = upstream.headers[name]
  return v === undefined ? null : String(v)
}

/** A cache hit: the stored answer, free of charge; the row says so and what it saved. */
function serveCached(hit: NonNullable<ReturnType<ResponseCache['get']>>, headers: Record<string, string>, res: ServerResponse, ctx: Ctx, deps: GatewayDeps): void {
  res.writeHead(hit.status, { ...hit.headers, ...headers, 'content-length': String(hit.body.length) }).end(hit.body)
  const route = ctx.route as Route
  const call = ctx.call as Call
  const saved = { cache: 'HIT', cache_saved_micros: String(hit.costMicros ?? 0) }
  ctx.route = { ...route, free: true }
  ctx.call = { ...call, metadata: { ...call.metadata, ...saved } }
  recordUsage(
    {
      status: hit.status,
      usage: { inputTokens: hit.inputTokens, outputTokens: hit.outputTokens, cachedTokens: null },
      ttfbMs: 0,
      latencyMs: Math.round(performance.now() - ctx.req.startedAt),
      error: null,
    },
    ctx,
    deps.usage,
  )
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
