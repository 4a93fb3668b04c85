/**
 * The AWS event-stream binary framing (`application/vnd.amazon.eventstream`), which Bedrock uses for
 * InvokeModelWithResponseStream and ConverseStream. Each frame is decoded and encoded by AWS's own
 * codec (@smithy/eventstream-codec: both CRCs, every header type); this file splits the byte stream
 * into frames (any byte split, impossible lengths refused from the prelude alone), maps the codec's
 * errors to EventStreamError codes, and reads a message as an event or a thrown in-band exception.
 * Pure: no I/O; it must not interpret model payloads beyond Bedrock's `{"bytes": base64}` envelope.
 *
 * Frame: total length (u32) | headers length (u32) | prelude CRC32 | headers | payload | message CRC32.
 */
import { createRequire } from 'node:module'
import { crc32 } from 'node:zlib'
import type * as Smithy from '@smithy/eventstream-codec'
import type { EventStreamCodec, Int64 } from '@smithy/eventstream-codec'
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

type CodecMessage = ReturnType<EventStreamCodec['decode']>
type CodecHeader = CodecMessage['headers'][string]

const PRELUDE = 12
const OVERHEAD = 16
/** Bedrock messages are far smaller; anything above this is a corrupt length, not a big event. */
const MAX_MESSAGE = 24 * 1024 * 1024
const MAX_HEADERS = 128 * 1024

const utf8Decoder = new TextDecoder('utf-8', { fatal: true })
const utf8Encoder = new TextEncoder()
function toUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    throw new EventStreamError('bad_header', 'header text is not UTF-8')
  }
}

// Loaded with the first Bedrock stream, not at start: the codec and @smithy/core are ~12 ms and
// ~150 KB of code that only Bedrock needs.
let smithy: typeof Smithy | undefined
const load = () => (smithy ??= createRequire(import.meta.url)('@smithy/eventstream-codec') as typeof Smithy)
let theCodec: EventStreamCodec | undefined
const codec = () => (theCodec ??= new (load().EventStreamCodec)(toUtf8, (text) => utf8Encoder.encode(text)))

function int64Of(value: bigint): Int64 {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigInt64(0, value)
  return new (load().Int64)(bytes)
}

function valueOf(header: CodecHeader): EventStreamHeaderValue {
  if (header.type === 'long') return new DataView(header.value.bytes.buffer, header.value.bytes.byteOffset, 8).getBigInt64(0)
  if (header.type === 'binary') return header.value.slice()
  return header.value
}

function headerOf(value: EventStreamHeaderValue): CodecHeader {
  if (typeof value === 'string') return { type: 'string', value }
  if (typeof value === 'boolean') return { type: 'boolean', value }
  if (value instanceof Uint8Array) return { type: 'binary', value }
  if (value instanceof Date) return { type: 'timestamp', value }
  if (typeof value === 'bigint') return { type: 'long', value: int64Of(value) }
  return { type: 'integer', value }
}

/** Decodes one complete frame (exactly `total` bytes) with the codec, its errors as EventStreamError. */
function parseMessage(frame: Uint8Array): EventStreamMessage {
  let decoded: CodecMessage
  try {
    decoded = codec().decode(frame)
  } catch (err) {
    if (err instanceof EventStreamError) throw err
    const text = (err as Error).message
    if (/prelude checksum/i.test(text)) throw new EventStreamError('bad_prelude_crc', 'prelude CRC32 mismatch')
    if (/checksum/i.test(text)) throw new EventStreamError('bad_message_crc', 'message CRC32 mismatch')
    throw new EventStreamError('bad_header', text)
  }
  const headers: Record<string, EventStreamHeaderValue> = {}
  for (const [name, header] of Object.entries(decoded.headers)) headers[name] = valueOf(header)
  return { headers, payload: decoded.body.slice() }
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
          // Checked before waiting for `total` bytes: a corrupt length must not make us buffer 4 GB.
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

/** Frames one message (test upstreams). Strings become type 7, numbers int32, bigints int64, bytes type 6. */
function encode(message: EventStreamMessage): Uint8Array {
  const headers: Record<string, CodecHeader> = {}
  for (const [name, value] of Object.entries(message.headers)) headers[name] = headerOf(value)
  return codec().encode({ headers, body: message.payload })
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
