/**
 * Renders a GatewayError as OpenAI renders its own errors: `{"error":{"message","type","param","code"}}`,
 * before the first byte as a response, after it as a `data:` event (OpenAI's in-band stream error).
 * The one exit for OpenAI-dialect errors, HTTP and stream alike; messages pass the scrubber here.
 * https://platform.openai.com/docs/guides/error-codes
 */
import type { GatewayError } from '../../errors/GatewayError.ts'
import { scrub } from '../../scrubber.ts'
import type { SseEvent } from '../sse.ts'

export type OpenAIErrorBody = { error: { message: string; type: string; param: string | null; code: string; limit?: OpenAILimitDetail } }

/** Switchyard's addition for budget and rate refusals: which limit, as data a program can read. */
export type OpenAILimitDetail = {
  kind: string
  scope: string
  scope_id: string
  scope_label: string
  unit: string
  limit: number
  used: number
  reserved: number
  requested: number
  period: string
  resets_at: string | null
  retry_after_ms: number | null
}

function typeFor(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  // A request timeout, as Portkey's gateway types it.
  if (status === 408) return 'timeout_error'
  // An exhausted budget is OpenAI's "insufficient_quota": clients show it and do not retry.
  if (status === 412) return 'insufficient_quota'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'api_error'
  return 'invalid_request_error'
}

export function renderOpenAIError(e: GatewayError): { status: number; body: OpenAIErrorBody } {
  const error: OpenAIErrorBody['error'] = { message: scrub(e.message), type: typeFor(e.status), param: e.param, code: e.code }
  const d = e.limit
  if (d) {
    error.limit = {
      kind: d.kind, scope: d.scope.kind, scope_id: d.scope.id, scope_label: d.scope.label, unit: d.unit, limit: d.limit, used: d.used,
      reserved: d.reserved, requested: d.requested, period: d.period, resets_at: d.resetAt === null ? null : new Date(d.resetAt).toISOString(),
      retry_after_ms: d.retryAfterMs,
    }
  }
  return { status: e.status, body: { error } }
}

/** The same error as an SSE event, for failures after the first byte of a stream. */
export function renderOpenAIStreamError(e: GatewayError): SseEvent[] {
  return [{ data: JSON.stringify(renderOpenAIError(e).body) }]
}
