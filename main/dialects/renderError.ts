/**
 * The one exit for errors: each caller dialect's renderer of a GatewayError, as a response body
 * (before the first byte) and as stream events (after it). `server.ts` and `streamBack.ts` both
 * render through this table, so a refusal reads the same on every path.
 */
import type { GatewayError } from '../errors/GatewayError.ts'
import { renderAnthropicError, renderAnthropicStreamError } from './anthropic/renderError.ts'
import type { CallerDialectId } from './canonical.ts'
import { renderOpenAIError, renderOpenAIStreamError } from './openai/renderError.ts'
import { renderResponsesError, renderResponsesStreamError, type StreamPosition } from './responses/renderError.ts'
import type { SseEvent } from './sse.ts'

export type { StreamPosition }

export type ErrorRenderer = {
  body(e: GatewayError): { status: number; body: unknown }
  stream(e: GatewayError, at?: StreamPosition): SseEvent[]
}

export const renderError: Record<CallerDialectId, ErrorRenderer> = {
  openai: { body: renderOpenAIError, stream: renderOpenAIStreamError },
  anthropic: { body: renderAnthropicError, stream: renderAnthropicStreamError },
  responses: { body: renderResponsesError, stream: renderResponsesStreamError },
}
