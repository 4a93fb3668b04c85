/**
 * Renders a GatewayError as Anthropic renders its own errors: `{"type":"error","error":{"type","message"}}`,
 * before the first byte as a response, after it as an SSE `error` event. The one exit for
 * Anthropic-dialect errors; messages pass the scrubber here.
 * https://docs.claude.com/en/api/errors
 */
import type { GatewayError } from '../../errors/GatewayError.ts'
import { scrub } from '../../scrubber.ts'
import { chatErrorFromGateway } from '../chatError.ts'
import type { SseEvent } from '../sse.ts'
import { anthropicError } from './error.ts'
import type { AnthropicErrorBody } from './types.ts'

export function renderAnthropicError(e: GatewayError): { status: number; body: AnthropicErrorBody } {
  return anthropicError.fromCanonical({ ...chatErrorFromGateway(e), message: scrub(e.message) })
}

export function renderAnthropicStreamError(e: GatewayError): SseEvent[] {
  return [{ event: 'error', data: JSON.stringify(renderAnthropicError(e).body) }]
}
