/**
 * Renders a GatewayError for a Responses API caller. Before the first byte it is OpenAI's error body
 * (the Responses API shares it); after it, an SSE `error` event as the Responses stream sends one.
 * https://platform.openai.com/docs/api-reference/responses-streaming/error
 */
import type { GatewayError } from '../../errors/GatewayError.ts'
import { renderOpenAIError } from '../openai/renderError.ts'
import { sse } from '../sse.ts'

export const renderResponsesError = renderOpenAIError

export function renderResponsesStreamError(e: GatewayError, sequenceNumber = 0): string {
  const data = { type: 'error', sequence_number: sequenceNumber, code: e.code, message: e.message, param: e.param }
  return sse.write([{ event: 'error', data: JSON.stringify(data) }])
}
