/**
 * The AWS event-stream binary framing (`application/vnd.amazon.eventstream`), which Bedrock uses for
 * InvokeModelWithResponseStream and ConverseStream: an incremental decoder that accepts any byte
 * split and checks both CRCs, an encoder (for test upstreams), and the readers that turn a message
 * into an event or a thrown in-band exception. Pure: no I/O; it must not interpret model payloads
 * beyond Bedrock's `{"bytes": base64}` chunk envelope.
 *
 * Frame: total length (u32) | headers length (u32) | prelude CRC32 | headers | payload | message CRC32,
 * big-endian, CRC32 (IEEE) over everything before it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html (the same framing),
 * https://github.com/smithy-lang/smithy-typescript/tree/main/packages/eventstream-codec
 */
import { crc32 } from 'node:zlib'
import { EventStreamError } from './EventStreamError.ts'

/** byte/short/integer → number, long → bigint, byte array → Uint8Array, timestamp → Date, uuid → string. */
export type EventStreamHeaderValue = string | number | boolean | bigint | Uint8Array | Date

export type EventStreamMessage = {
  headers: Record<string, EventStreamHeaderValue>
  payload: Uint8Array
}

export type EventStreamDecoder = {
  /** Feeds bytes; returns every message completed by them (possibly none). Throws EventStreamError. */
  push(chunk: Uint8Array): EventStreamMessage[]
  /** Declares the end of input; throws `truncated` if a message was left half-read. */
  end(): void
}

const PRELUDE = 12
const OVERHEAD = 16
/** Bedrock messages are far smaller; anything above this is a corrupt length, not a big event. */
const MAX_MESSAGE = 24 * 1024 * 1024
const MAX_HEADERS = 128 * 1024

const TYPE = {
  boolTrue: 0, boolFalse: 1, byte: 2, short: 3, integer: 4, long: 5, bytes: 6, string: 7, timestamp: 8, uuid: 9,
} as const

const utf8Decoder = new TextDecoder('utf-8', { fatal: true })
function utf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    throw new EventStreamError('bad_header', 'header text is not UTF-8')
  }
}

function parseHeaders(view: DataView, bytes: Uint8Array, start: number, end: number): Record<string, EventStreamHeaderValue> {
  const headers: Record<string, EventStreamHeaderValue> = {}
  let at = start
  const need = (n: number): void => {
    if (at + n > end) throw new EventStreamError('bad_header', 'header runs past the header block')
  }
  while (at < end) {
    need(1)
    const nameLength = view.getUint8(at)
    at += 1
    need(nameLength + 1)
    const name = utf8(bytes.subarray(at, at + nameLength))
    at += nameLength
    const type = view.getUint8(at)
    at += 1
    let value: EventStreamHeaderValue
    switch (type) {
      case TYPE.boolTrue:
      case TYPE.boolFalse:
        value = type === TYPE.boolTrue
        break
      case TYPE.byte:
        need(1)
        value = view.getInt8(at)
        at += 1
        break
      case TYPE.short:
        need(2)
        value = view.getInt16(at)
        at += 2
        break
      case TYPE.integer:
        need(4)
        value = view.getInt32(at)
        at += 4
        break
      case TYPE.long:
      case TYPE.timestamp: {
        need(8)
        const wide = view.getBigInt64(at)
        value = type === TYPE.long ? wide : new Date(Number(wide))
        at += 8
        break
      }
      case TYPE.uuid: {
        need(16)
        const hex = Buffer.from(bytes.subarray(at, at + 16)).toString('hex')
        value = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
        at += 16
        break
      }
      case TYPE.bytes:
      case TYPE.string: {
        need(2)
        const length = view.getUint16(at)
        at += 2
        need(length)
        const raw = bytes.subarray(at, at + length)
        value = type === TYPE.string ? utf8(raw) : new Uint8Array(raw)
        at += length
        break
      }
      default:
        throw new EventStreamError('bad_header', `unknown header value type ${type} for ${name}`)
    }
    headers[name] = value
  }
  return headers
}

/** Parses one complete frame (exactly `total` bytes). */
function parseMessage(frame: Uint8Array): EventStreamMessage {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const total = frame.byteLength
  const headersLength = view.getUint32(4)
  const expected = view.getUint32(total - 4)
  if (crc32(frame.subarray(0, total - 4)) !== expected) throw new EventStreamError('bad_message_crc', 'message CRC32 mismatch')
  const headersEnd = PRELUDE + headersLength
  const headers = parseHeaders(view, frame, PRELUDE, headersEnd)
  return { headers, payload: new Uint8Array(frame.subarray(headersEnd, total - 4)) }
}

/** An incremental decoder: state lives in this closure, one per stream. */
function decoder(): EventStreamDecoder {
  let pending: Buffer = Buffer.alloc(0)
  let checkedPrelude = false
  return {
    push(chunk) {
      pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk])
      const out: EventStreamMessage[] = []
      for (;;) {
        if (pending.length < PRELUDE) break
        const total = pending.readUInt32BE(0)
        const headersLength = pending.readUInt32BE(4)
        if (!checkedPrelude) {
          if (crc32(pending.subarray(0, 8)) !== pending.readUInt32BE(8)) throw new EventStreamError('bad_prelude_crc', 'prelude CRC32 mismatch')
          if (total < OVERHEAD || total > MAX_MESSAGE || headersLength > MAX_HEADERS || headersLength > total - OVERHEAD) {
            throw new EventStreamError('bad_length', `impossible lengths: total ${total}, headers ${headersLength}`)
          }
          checkedPrelude = true
        }
        if (pending.length < total) break
        out.push(parseMessage(pending.subarray(0, total)))
        pending = pending.subarray(total)
        checkedPrelude = false
      }
      return out
    },
    end() {
      if (pending.length > 0) throw new EventStreamError('truncated', `stream ended inside a message (${pending.length} bytes left)`)
    },
  }
}

/** The decoder as a web TransformStream, for `response.body.pipeThrough(eventStream.transform())`. */
function transform(): TransformStream<Uint8Array, EventStreamMessage> {
  const d = decoder()
  return new TransformStream({
    transform(chunk, controller) {
      for (const m of d.push(chunk)) controller.enqueue(m)
    },
    flush() {
      d.end()
    },
  })
}

/** Decodes a byte stream (a fetch body, a Node readable) message by message. */
async function* decode(source: AsyncIterable<Uint8Array>): AsyncGenerator<EventStreamMessage> {
  const d = decoder()
  for await (const chunk of source) yield* d.push(chunk)
  d.end()
}

function encodeHeader(name: string, value: EventStreamHeaderValue): Buffer {
  const nameBytes = Buffer.from(name, 'utf8')
  if (nameBytes.length > 255) throw new EventStreamError('bad_header', `header name too long: ${name}`)
  const head = Buffer.concat([Buffer.from([nameBytes.length]), nameBytes])
  const typed = (type: number, body: Buffer): Buffer => Buffer.concat([head, Buffer.from([type]), body])
  const withLength = (type: number, body: Buffer): Buffer => {
    const length = Buffer.alloc(2)
    length.writeUInt16BE(body.length)
    return typed(type, Buffer.concat([length, body]))
  }
  if (typeof value === 'string') return withLength(TYPE.string, Buffer.from(value, 'utf8'))
  if (typeof value === 'boolean') return typed(value ? TYPE.boolTrue : TYPE.boolFalse, Buffer.alloc(0))
  if (value instanceof Uint8Array) return withLength(TYPE.bytes, Buffer.from(value))
  const wide = Buffer.alloc(8)
  if (value instanceof Date) {
    wide.writeBigInt64BE(BigInt(value.getTime()))
    return typed(TYPE.timestamp, wide)
  }
  if (typeof value === 'bigint') {
    wide.writeBigInt64BE(value)
    return typed(TYPE.long, wide)
  }
  const int = Buffer.alloc(4)
  int.writeInt32BE(value)
  return typed(TYPE.integer, int)
}

/** Frames one message. Strings become type 7, numbers int32, bigints int64, bytes type 6. */
function encode(message: EventStreamMessage): Uint8Array {
  const headers = Buffer.concat(Object.entries(message.headers).map(([n, v]) => encodeHeader(n, v)))
  const total = OVERHEAD + headers.length + message.payload.byteLength
  const frame = Buffer.alloc(total)
  frame.writeUInt32BE(total, 0)
  frame.writeUInt32BE(headers.length, 4)
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8)
  headers.copy(frame, PRELUDE)
  frame.set(message.payload, PRELUDE + headers.length)
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4)
  return frame
}

const headerText = (m: EventStreamMessage, name: string): string | undefined => {
  const v = m.headers[name]
  return typeof v === 'string' ? v : undefined
}

function exceptionMessage(payload: Uint8Array): string {
  const text = Buffer.from(payload).toString('utf8')
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null) {
      const m = (parsed as Record<string, unknown>)['message'] ?? (parsed as Record<string, unknown>)['Message']
      if (typeof m === 'string') return m
    }
  } catch {
    // not JSON: the raw text is the message
  }
  return text
}

/**
 * An `event` message as `{ type, payload }`. `exception` messages (`:exception-type`, JSON payload
 * with `message`) and `error` messages (`:error-code`, `:error-message`) are thrown as
 * EventStreamError('exception'), since they end the stream.
 */
function eventOf(message: EventStreamMessage): { type: string; payload: Uint8Array } {
  const kind = headerText(message, ':message-type')
  if (kind === 'exception') {
    const type = headerText(message, ':exception-type') ?? 'exception'
    throw new EventStreamError('exception', `${type}: ${exceptionMessage(message.payload)}`, type)
  }
  if (kind === 'error') {
    const code = headerText(message, ':error-code') ?? 'error'
    throw new EventStreamError('exception', `${code}: ${headerText(message, ':error-message') ?? ''}`, code)
  }
  if (kind !== 'event') throw new EventStreamError('bad_header', `unknown :message-type ${String(kind)}`)
  return { type: headerText(message, ':event-type') ?? '', payload: message.payload }
}

/**
 * InvokeModelWithResponseStream wraps each model event as a `chunk` event whose payload is
 * `{"bytes":"<base64 of the model's own JSON event>","p":"<padding>"}`. Returns that inner JSON, as
 * text (for byte-faithful passthrough) and parsed. For Claude it is an Anthropic Messages stream
 * event; the last one carries `amazon-bedrock-invocationMetrics`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
 */
function unwrapChunk(message: EventStreamMessage): { text: string; event: unknown } {
  const { type, payload } = eventOf(message)
  if (type !== 'chunk') throw new EventStreamError('bad_chunk', `expected a chunk event, got ${type || 'none'}`)
  let envelope: unknown
  try {
    envelope = JSON.parse(Buffer.from(payload).toString('utf8'))
  } catch {
    throw new EventStreamError('bad_chunk', 'chunk payload is not JSON')
  }
  const bytes = typeof envelope === 'object' && envelope !== null ? (envelope as Record<string, unknown>)['bytes'] : undefined
  if (typeof bytes !== 'string') throw new EventStreamError('bad_chunk', 'chunk payload has no "bytes"')
  const text = Buffer.from(bytes, 'base64').toString('utf8')
  try {
    return { text, event: JSON.parse(text) as unknown }
  } catch {
    throw new EventStreamError('bad_chunk', 'chunk bytes are not JSON')
  }
}

/** The module's surface: `eventStream.decoder()`, `eventStream.encode(m)`, `eventStream.unwrapChunk(m)`… */
export const eventStream = { decoder, transform, decode, encode, eventOf, unwrapChunk }
