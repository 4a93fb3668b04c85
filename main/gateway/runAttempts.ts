/**
 * Attempt planning, retry and fallback for one request: the config's planned targets in order (or
 * the one target the request names), each resolved to a route, governed, translated and called;
 * retried on the statuses its `retry` names (Retry-After honoured), skipped while its circuit is
 * open, left for the next target on the statuses its fallback group names. Retries and fallbacks
 * happen only before the first byte reaches the client. Sets Portkey's
 * `x-portkey-last-used-option-index` / `x-portkey-retry-attempt-count` on answers and errors, and
 * records the path taken (`ctx.attempts`) for the usage row when a config is in play.
 */
import type { AttemptRecord } from '../../preload/contract.ts'
import { planAttempts, type Attempt } from '../routing/config/planAttempts.ts'
import { nextAttemptIndex } from '../routing/config/nextAttemptIndex.ts'
import type { LoadedConfig } from '../routing/config/loadConfig.ts'
import type { RoutingTable } from '../routing/RoutingTable.ts'
import type { ResponseCache } from '../reliability/responseCache.ts'
import { isRetriableStatus, retryDelayMs } from '../reliability/retryDelay.ts'
import type { NewUsage } from '../store/UsageWriter.ts'
import { scrubberFor } from '../scrubber.ts'
import { log } from '../log.ts'
import { asRequestError } from './asRequestError.ts'
import { attemptView, routeHeaders } from './attemptView.ts'
import { callProvider, type UpstreamResponse } from './callProvider.ts'
import { captureBodies, type BodyCaptureRun } from './captureBodies.ts'
import { checkContextWindow } from './checkContextWindow.ts'
import { guardResponse, type GuardrailRun } from './checkGuardrails.ts'
import { countTokensLocally } from './countTokensLocally.ts'
import { enforceLimits } from './enforceLimits.ts'
import { GatewayError } from './GatewayError.ts'
import { header, readRouteHeaders } from './parse.ts'
import { passQuery } from './passQuery.ts'
import type { GatewayDeps } from './pipeline.ts'
import { recordUsage } from './recordUsage.ts'
import { resolveRoute } from './resolveRoute.ts'
import { responseHeaders } from './responseHeaders.ts'
import { streamBack } from './streamBack.ts'
import { translate } from './translate.ts'
import type { Abort, Call, Client, GatewayRequest, GatewayResponse, Route } from './types.ts'
import type { Lease } from '../limits/createGovernor.ts'

/** What the request's usage row is made of; the attempts update it as they go (route, lease, call). */
export type RequestState = {
  req: GatewayRequest
  call: Call | null
  client: Client | null
  route: Route | null
  endpoint: string
  lease: Lease | null
  guardrails: GuardrailRun | null
  attempts: AttemptRecord[] | null
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref())

export async function runAttempts(
  state: RequestState,
  call: Call,
  client: Client,
  config: LoadedConfig | null,
  table: RoutingTable,
  res: GatewayResponse,
  abort: Abort,
  deps: GatewayDeps,
): Promise<void> {
  const { req } = state
  const random = deps.random ?? Math.random
  const attempts: Array<Attempt | null> = config ? planAttempts(config.plan, { params: call.body, metadata: call.metadata ?? {} }, random) : [null]
  const path: AttemptRecord[] | null = config ? (state.attempts = []) : null
  const asked = readRouteHeaders(req) // once; a config target replaces some of them (routeHeaders)
  let retried = 0
  let lastIndex: string | null = null // the config target tried last, for Portkey's headers on errors too
  let waitedMs = 0
  let lastFailure: GatewayError | null = null
  try {
    for (let i = 0; i >= 0 && i < attempts.length; ) {
      const attempt = attempts[i] ?? null
      const here = i
      const last = !attempt || nextAttemptIndex(attempts as Attempt[], here, 500) < 0
      const view = attemptView(call, client, attempt)
      if (attempt) lastIndex = attempt.jsonPath
      const route = passQuery(resolveRoute(view.call, view.client, req, table, routeHeaders(asked, attempt)), req)
      const step: AttemptRecord | null = attempt ? { target: targetName(route), jsonPath: attempt.jsonPath, status: null, retries: 0 } : null
      if (step) path?.push(step)
      // Breakers guard the targets of configs; a request without one has nowhere else to go.
      const breaker = attempt ? deps.breaker : undefined
      const breakerKey = breaker ? `${route.providerSlug ?? route.url}|${route.model}` : ''
      if (breaker && !last && !breaker.allow(breakerKey)) {
        log.info('circuit open: target skipped', { traceId: view.call.traceId, target: breakerKey })
        if (step) step.skipped = 'circuit_open'
        i = nextAttemptIndex(attempts as Attempt[], here, 503)
        continue
      }
      state.call = view.call
      state.route = route
      // A target that failed before answering cost nothing: its reservation is settled at zero.
      state.lease?.settle({ costMicros: 0, tokens: 0 }, (deps.now ?? Date.now)())
      state.lease = enforceLimits(route, view.call, view.client, req, table, deps.limits)
      const outgoing = translate(route, view.call) // identity when the dialects match
      // Most routes know no window: no await (a promise and a microtask) for them.
      const contextWarning = route.contextWindow ? await checkContextWindow(route, view.call, outgoing) : null
      if (route.endpoint === 'count_tokens' && route.translate) {
        if (step) step.status = 200
        recordUsage(await countTokensLocally(outgoing, view.call, route, res, req.startedAt), state, deps.usage)
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
        if (hit) {
          if (step) step.status = hit.status
          return serveCached(hit, headers, res, state, deps)
        }
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
          if (step) Object.assign(step, { status: e.status, error: scrubberFor(route.headers).text(e.message) })
          if (e.status === 499 || abort.aborted) throw e
          if (retry && r < retry.attempts && isRetriableStatus(e.status, retry.on_status_codes)) {
            const wait = retryDelayMs(r + 1, { now: (deps.now ?? Date.now)(), random, waitedMs })
            if (wait >= 0) {
              retried++
              if (step) step.retries++
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
        if (step) step.status = upstream.status
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
              if (step) step.retries++
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
        const capture = table.bodyCapture && deps.bodies ? captureBodies(res, outgoing.body, route.headers, deps.bodies) : null
        return await answer(upstream, view.call, route, outgoing, contextWarning, headers, cacheKey, capture, state, res, deps)
      }
      log.info('falling back', { traceId: view.call.traceId, from: (attempt as Attempt).jsonPath, to: attempts[i]?.jsonPath, reason: lastFailure?.message })
    }
    throw lastFailure ?? new GatewayError('provider_unreachable', 'every target of the config was skipped (circuit open)')
  } catch (err) {
    if (lastIndex === null) throw err
    const e = asRequestError(err)
    Object.assign(e.headers, { 'x-portkey-retry-attempt-count': String(retried), 'x-portkey-last-used-option-index': lastIndex })
    throw e
  }
}

/** The upstream's answer to the client, the usage row, and the cache entry when the config keeps one. */
async function answer(
  upstream: UpstreamResponse,
  call: Call,
  route: Route,
  outgoing: ReturnType<typeof translate>,
  contextWarning: string | null,
  headers: Record<string, string>,
  cacheKey: string | null,
  capture: BodyCaptureRun | null,
  state: RequestState,
  res: GatewayResponse,
  deps: GatewayDeps,
): Promise<void> {
  let sent: Buffer | null = null
  const guard = state.guardrails ? guardResponse(state.guardrails, call) : undefined
  const recorded: { row: NewUsage | null } = { row: null }
  const outcome = await streamBack(upstream, call, route, outgoing.canonical, res, {
    startedAt: state.req.startedAt,
    extraHeaders: headers,
    // Recorded before the answer's last byte goes out (crash safety: see UsageWriter).
    record: (o) => void (recorded.row = recordUsage(contextWarning && !o.error ? { ...o, error: contextWarning } : o, state, deps.usage)),
    afterRecord: (write) => deps.usage.afterJournal(write),
    ...(guard || cacheKey ? { inspectBody: (body: Buffer) => (sent = guard ? guard(body) : body) } : {}),
  })
  const row = recorded.row ?? recordUsage(outcome, state, deps.usage)
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
}

/** How the Logs view names a target: `@slug/model`, or the custom host's URL. */
function targetName(route: Route): string {
  return route.providerSlug ? `@${route.providerSlug}/${route.model}` : route.url
}

function headerOf(upstream: UpstreamResponse, name: string): string | null {
  const v = upstream.headers[name]
  return v === undefined ? null : String(v)
}

/** A cache hit: the stored answer, free of charge; the row says so and what it saved. */
function serveCached(hit: NonNullable<ReturnType<ResponseCache['get']>>, headers: Record<string, string>, res: GatewayResponse, state: RequestState, deps: GatewayDeps): void {
  const route = state.route as Route
  const call = state.call as Call
  const saved = { cache: 'HIT', cache_saved_micros: String(hit.costMicros ?? 0) }
  state.route = { ...route, free: true }
  state.call = { ...call, metadata: { ...call.metadata, ...saved } }
  recordUsage(
    {
      status: hit.status,
      usage: { inputTokens: hit.inputTokens, outputTokens: hit.outputTokens, cachedTokens: null },
      ttfbMs: 0,
      latencyMs: Math.round(performance.now() - state.req.startedAt),
      error: null,
    },
    state,
    deps.usage,
  )
  // Recorded first, answered once the row is crash-safe, as for an upstream's answer.
  deps.usage.afterJournal(() => res.writeHead(hit.status, { ...hit.headers, ...headers, 'content-length': String(hit.body.length) }).end(hit.body))
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
