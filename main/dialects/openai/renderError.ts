/**
 * Renders a GatewayError as OpenAI renders its own errors: `{"error":{"message","type","param","code"}}`.
 * https://platform.openai.com/docs/guides/error-codes
 */
import type { GatewayError } from '../../gateway/GatewayError.ts'

export type OpenAIErrorBody = { error: { message: string; type: string; param: string | null; code: string } }

function typeFor(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'api_error'
  return 'invalid_request_error'
}

export function renderOpenAIError(e: GatewayError): { status: number; body: OpenAIErrorBody } {
  return { status: e.status, body: { error: { message: e.message, type: typeFor(e.status), param: e.param, code: e.code } } }
}

/** The same error as an SSE event, for failures after the first byte of a stream. */
export function renderOpenAIStreamError(e: GatewayError): string {
  return `data: ${JSON.stringify(renderOpenAIError(e).body)}\n\n`
}
