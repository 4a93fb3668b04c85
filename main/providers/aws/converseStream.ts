/**
 * ConverseStream's body → SSE for the Converse dialect: each event-stream message becomes one SSE event
 * named after its `:event-type` (`messageStart`, `contentBlockDelta`, `metadata`…) with the JSON payload as
 * data, unchanged (`messageStart` gains the response's `x-amzn-RequestId` as `requestId`). An in-band
 * exception (`throttlingException`, `modelStreamErrorException`…) becomes an `error` event whose data is
 * its JSON payload with the `:exception-type` as `__type`, the shape of the HTTP error bodies below (and
 * the event name the gateway watches for failed streams); an `error` message the same way under its
 * `:error-code`. Broken framing throws.
 * One decoder per response. Also the error-body rewrite for Converse calls: Bedrock's `{"message"}` with
 * the exception name folded in from `x-amzn-ErrorType` as `__type`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
import { sse } from '../../dialects/sse.ts'
import type { BodyDecoder, ResponseHead } from '../provider.ts'
import { eventStream } from './eventStream.ts'
import type { EventStreamMessage } from './eventStream.ts'

const text = (m: EventStreamMessage, name: string): string | undefined => {
  const v = m.headers[name]
  return typeof v === 'string' ? v : undefined
}

/** The payload as a JSON object (a non-JSON payload is wrapped as `{"message"}`). */
function payloadObject(payload: Uint8Array): Record<string, unknown> {
  const raw = Buffer.from(payload).toString('utf8')
  try {
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // not JSON: wrapped below
  }
  return { message: raw }
}

function converseEvent(m: EventStreamMessage, requestId: string | undefined): string {
  const kind = text(m, ':message-type')
  if (kind === 'exception') {
    const data = JSON.stringify({ __type: text(m, ':exception-type') ?? 'internalServerException', ...payloadObject(m.payload) })
    return sse.write([{ event: 'error', data }])
  }
  if (kind === 'error') {
    const data = JSON.stringify({ __type: text(m, ':error-code') ?? 'internalServerException', message: text(m, ':error-message') ?? '' })
    return sse.write([{ event: 'error', data }])
  }
  const { type, payload } = eventStream.eventOf(m)
  // Converse gives a response no id: the stream's is the request's (`x-amzn-RequestId`), on `messageStart`.
  const data = type === 'messageStart' && requestId ? JSON.stringify({ ...payloadObject(payload), requestId }) : Buffer.from(payload).toString('utf8')
  return sse.write([{ event: type || 'message', data }])
}

export function converseStream(head?: ResponseHead): BodyDecoder {
  const frames = eventStream.decoder()
  const header = head?.headers['x-amzn-requestid']
  const requestId = (Array.isArray(header) ? header[0] : header) || undefined
  return {
    push(chunk) {
      let out = ''
      for (const m of frames.push(chunk)) out += converseEvent(m, requestId)
      return out
    },
    end() {
      frames.end()
      return ''
    },
  }
}

/** `{"message"}` + `x-amzn-ErrorType: ThrottlingException:http://…` → `{"__type":"ThrottlingException","message"}`. */
export function converseErrorBody(head: ResponseHead, body: Buffer): Buffer {
  const header = head.headers['x-amzn-errortype']
  const type = (Array.isArray(header) ? header[0] : header)?.split(':')[0] || undefined
  const raw = body.toString('utf8')
  let message = raw.trim()
  try {
    const parsed = JSON.parse(raw) as { message?: unknown; Message?: unknown }
    const m = parsed.message ?? parsed.Message
    if (typeof m === 'string') message = m
  } catch {
    // not JSON: the raw text is the message
  }
  return Buffer.from(JSON.stringify(type ? { __type: type, message: message || `HTTP ${head.status}` } : { message: message || `Bedrock answered HTTP ${head.status}` }))
}
