/**
 * Renders a GatewayError for a Responses API caller. Before the first byte it is OpenAI's error body
 * (the Responses API shares it); after it, the way OpenAI ends a failed stream: an `error` event, then
 * `response.failed` (the response as `response.created` showed it), numbered on from the events the
 * client already has. The one exit for Responses errors; messages pass the scrubber here.
 * https://platform.openai.com/docs/api-reference/responses-streaming/error
 */
import type { GatewayError } from '../../errors/GatewayError.ts'
import { scrub } from '../../scrubber.ts'
import { renderOpenAIError } from '../openai/renderError.ts'
import type { SseEvent } from '../sse.ts'

export const renderResponsesError = renderOpenAIError

/** Where the stream stands: how many events went out, and the `response.created` data if one did. */
export type StreamPosition = { events: number; created: string | null }

export function renderResponsesStreamError(e: GatewayError, at: StreamPosition = { events: 0, created: null }): SseEvent[] {
  let response: Record<string, unknown> = {}
  try {
    const created = JSON.parse(at.created ?? '{}') as { response?: unknown }
    if (created.response && typeof created.response === 'object') response = created.response as Record<string, unknown>
  } catch {
    // no usable response.created: the failed response carries only its status and error
  }
  const error = { code: e.code, message: scrub(e.message) }
  return [
    { event: 'error', data: JSON.stringify({ type: 'error', sequence_number: at.events, ...error, param: e.param }) },
    { event: 'response.failed', data: JSON.stringify({ type: 'response.failed', sequence_number: at.events + 1, response: { ...response, status: 'failed', error } }) },
  ]
}
