/**
 * InvokeModelWithResponseStream's body → the Anthropic Messages SSE it carries, so the gateway reads a
 * Bedrock stream exactly as an Anthropic one (passthrough bytes, usage tap, translation). Each `chunk`
 * event's base64 payload is one Anthropic event, written as `event: <type>` + `data: <json>` verbatim
 * (the last one keeps Bedrock's `amazon-bedrock-invocationMetrics`, which Anthropic clients ignore). An
 * exception the service sends in-band (throttling, a model stream error) becomes Anthropic's `error`
 * event; broken framing throws. One decoder per response.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
 */
import { sse } from '../../dialects/sse.ts'
import type { BodyDecoder } from '../provider.ts'
import { eventStream } from './eventStream.ts'
import type { EventStreamMessage } from './eventStream.ts'

/** In-band exception types → Anthropic error types. */
const errorTypeOf: Record<string, string> = {
  throttlingException: 'rate_limit_error',
  serviceUnavailableException: 'overloaded_error',
  validationException: 'invalid_request_error',
  internalServerException: 'api_error',
  modelTimeoutException: 'api_error',
}

/** A model stream error carries the model's own status (529 Overloaded…). */
const errorTypeOfStatus = (status: number): string => (status === 529 || status === 503 ? 'overloaded_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error')

function exceptionEvent(m: EventStreamMessage): string {
  const kind = m.headers[':exception-type']
  const type = typeof kind === 'string' ? kind : 'exception'
  let message = Buffer.from(m.payload).toString('utf8')
  let status: number | undefined
  try {
    const body = JSON.parse(message) as { message?: unknown; Message?: unknown; originalStatusCode?: unknown }
    const text = body.message ?? body.Message
    if (typeof text === 'string') message = text
    if (typeof body.originalStatusCode === 'number') status = body.originalStatusCode
  } catch {
    // not JSON: the raw text is the message
  }
  const errorType = status !== undefined ? errorTypeOfStatus(status) : (errorTypeOf[type] ?? 'api_error')
  const data = JSON.stringify({ type: 'error', error: { type: errorType, message: `Bedrock ${type}: ${message}` } })
  return sse.write([{ event: 'error', data }])
}

function anthropicEvent(m: EventStreamMessage): string {
  if (m.headers[':message-type'] === 'exception') return exceptionEvent(m)
  const { text, event } = eventStream.unwrapChunk(m)
  const type = typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string' ? (event as { type: string }).type : 'message'
  return sse.write([{ event: type, data: text }])
}

export function bedrockStream(): BodyDecoder {
  const frames = eventStream.decoder()
  return {
    push(chunk) {
      let out = ''
      for (const m of frames.push(chunk)) out += anthropicEvent(m)
      return out
    },
    end() {
      frames.end()
      return ''
    },
  }
}
