/**
 * The one error type of the request path. Stages, dialects, providers and the network guard throw
 * it; `server.ts` renders it once, in the caller's dialect. It lives below all of them (lint enforces
 * that dialects/, providers/ and network/ never import gateway/). Codes are stable strings a program can act on; messages are for people and
 * never contain a secret.
 */
import type { LimitDenial } from '../limits/LimitDenial.ts'

export type GatewayErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'payload_too_large'
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'provider_not_found'
  | 'provider_not_allowed'
  | 'model_not_found'
  | 'model_required'
  | 'unsupported_endpoint'
  | 'provider_unreachable'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error'
  | 'context_window_exceeded'
  | 'budget_exceeded'
  | 'price_unknown'
  | 'rate_limited'
  | 'model_not_provisioned'
  | 'api_key_expired'
  | 'key_scope_denied'
  | 'guardrail_blocked'
  | 'custom_host_blocked'
  | 'loop_detected'
  | 'request_timeout'
  | 'overloaded'
  | 'gateway_paused'

const statusOf: Record<GatewayErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  payload_too_large: 413,
  missing_api_key: 401,
  invalid_api_key: 401,
  provider_not_found: 404,
  provider_not_allowed: 403,
  model_not_found: 404,
  model_required: 400,
  unsupported_endpoint: 400,
  provider_unreachable: 502,
  // Portkey's documented status for `request_timeout`, so `on_status_codes: [408]` retries and falls back.
  upstream_timeout: 408,
  upstream_error: 502,
  not_found: 404,
  method_not_allowed: 405,
  internal_error: 500,
  context_window_exceeded: 400,
  // Portkey answers an exhausted budget with 412; clients do not retry it.
  budget_exceeded: 412,
  price_unknown: 412,
  rate_limited: 429,
  model_not_provisioned: 403,
  api_key_expired: 401,
  key_scope_denied: 403,
  /** A guardrail with `action: 'block'` refused the request or the response (main/guardrails/). */
  guardrail_blocked: 400,
  /** A per-request custom host resolved to an address the network settings refuse (network/upstreamHost.ts). */
  custom_host_blocked: 403,
  /** The request came back through this gateway too many times, or its target is this gateway itself. */
  loop_detected: 508,
  /** The request body did not arrive in time (slow upload). */
  request_timeout: 408,
  /** Bodies in flight already hold all the memory they may: try again shortly. */
  overloaded: 503,
  /** Paused from the tray or the Control API (gateway/pauseSwitch.ts). */
  gateway_paused: 503,
}

export class GatewayError extends Error {
  readonly code: GatewayErrorCode
  readonly status: number
  /** The request field at fault, when there is one (OpenAI's `param`). */
  readonly param: string | null
  /** Which limit refused the call, as data, for any dialect to render (budget and rate errors). */
  readonly limit: LimitDenial | null
  /** Response headers that go with the error (Retry-After…). */
  readonly headers: Record<string, string>

  constructor(
    code: GatewayErrorCode,
    message: string,
    opts: { cause?: unknown; param?: string; status?: number; limit?: LimitDenial; headers?: Record<string, string> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'GatewayError'
    this.code = code
    this.status = opts.status ?? statusOf[code]
    this.param = opts.param ?? null
    this.limit = opts.limit ?? null
    this.headers = opts.headers ?? {}
  }
}
