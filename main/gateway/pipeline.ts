/**
 * The whole request path, in order. Add a stage here or nowhere.
 *   parse → checkPaused → authenticate → attributeCall → selectConfig → checkGuardrails → runAttempts:
 *     for each planned target: resolveRoute → enforceLimits → translate → checkContextWindow → (cache)
 *     → callProvider → (retry | fall back | streamBack) → recordUsage
 * Without a config there is one target: the one the request names. `enforceLimits` reserves the
 * call's estimate and returns a lease; `recordUsage` settles it exactly once. `translate` and
 * `streamBack` convert between the caller's dialect and the upstream's when they differ. Retries
 * and fallbacks happen only before the first byte reaches the client. Every request leaves exactly
 * one usage row, success or failure.
 */
import type { Endpoint } from '../providers/provider.ts'
import type { RoutingTableHolder } from '../routing/RoutingTable.ts'
import type { UsageWriter } from '../store/UsageWriter.ts'
import type { BodiesRepo } from '../store/bodiesRepo.ts'
import type { HostResolver } from '../network/upstreamHost.ts'
import type { CircuitBreaker } from '../reliability/createCircuitBreaker.ts'
import type { ResponseCache } from '../reliability/responseCache.ts'
import { noUsage } from '../dialects/openai/usage.ts'
import { asRequestError } from './asRequestError.ts'
import { attributeCall } from './attributeCall.ts'
import { authenticate } from './authenticate.ts'
import type { GovernanceDeps } from './enforceLimits.ts'
import { parse } from './parse.ts'
import { recordUsage } from './recordUsage.ts'
import { runAttempts, type RequestState } from './runAttempts.ts'
import { selectConfig } from './selectConfig.ts'
import { checkPaused } from './checkPaused.ts'
import { checkGuardrails } from './checkGuardrails.ts'
import type { Abort, GatewayRequest, GatewayResponse } from './types.ts'

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

/**
 * One request, answered on `res` (Node's ServerResponse, or any `GatewayResponse`: a WebSocket
 * adapter, an in-memory test response). Resolves once the answer is written; a refusal before the
 * first byte rejects with a GatewayError the transport renders in the caller's format.
 */
export async function handle(req: GatewayRequest, res: GatewayResponse, endpoint: Endpoint, abort: Abort, deps: GatewayDeps): Promise<void> {
  const state: RequestState = { req, call: null, client: null, route: null, endpoint: req.path, lease: null, guardrails: null, attempts: null }
  try {
    state.call = parse(req, endpoint)
    checkPaused(deps.paused)
    const table = deps.routes.current() // one snapshot for the whole request
    // The edge already checked the key against this snapshot (before reading the body): not twice.
    const client = (state.client = req.authenticated?.table === table ? req.authenticated.client : authenticate(req, table))
    state.call = attributeCall(state.call, table.attribution !== false) // project/branch from an agent's prompt, into metadata
    const config = selectConfig(req, client, table)
    checkGuardrails(state, table, config?.guardrails ?? null) // the workspace's and the config's; may redact the body or refuse the call
    await runAttempts(state, state.call, client, config, table, res, abort, deps)
  } catch (err) {
    const e = asRequestError(err)
    const latencyMs = Math.round(performance.now() - req.startedAt)
    recordUsage({ status: e.status, usage: noUsage, ttfbMs: null, latencyMs, error: e.message }, state, deps.usage)
    await new Promise<void>((kept) => deps.usage.afterJournal(kept)) // the row is crash-safe before the refusal goes out
    throw e // the transport (server.ts) renders it in the caller's format
  }
}
