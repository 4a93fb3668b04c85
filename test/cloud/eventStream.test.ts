/**
 * AWS event-stream framing. Vectors: the AWS SDK's own codec fixtures
 * (smithy-lang/smithy-typescript packages/core/src/submodules/event-streams/eventstream-codec/TestVectors.fixture.ts,
 * the aws-c-event-stream test vectors), as hex. Bedrock chunk payloads: the `{"bytes","p"}` envelope
 * as recorded from Bedrock (envoyproxy/ai-gateway tests; Anthropic's SDKs describe the same shape).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { crc32 } from 'node:zlib'
import { EventStreamError } from '../../main/providers/aws/EventStreamError.ts'
import { eventStream } from '../../main/providers/aws/eventStream.ts'
import type { EventStreamMessage } from '../../main/providers/aws/eventStream.ts'

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'))
const json = (s: string): Uint8Array => new TextEncoder().encode(s)
const foobar = json("{'foo':'bar'}")

const positive: Array<[string, string, EventStreamMessage['headers'], Uint8Array]> = [
  ['empty_message', '000000100000000005c248eb7d98c8ff', {}, new Uint8Array()],
  ['int32_header', '0000002d0000001041c424b80a6576656e742d74797065040000a00c7b27666f6f273a27626172277d36f480a0', { 'event-type': 40972 }, foobar],
  ['payload_no_headers', '0000001d00000000fd528c5a7b27666f6f273a27626172277dc3653936', {}, foobar],
  ['payload_one_str_header', '0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1', { 'content-type': 'application/json' }, foobar],
]

for (const [name, encoded, headers, payload] of positive) {
  test(`AWS vector ${name}: decodes, and encodes back to the same bytes`, () => {
    const d = eventStream.decoder()
    assert.deepEqual(d.push(hex(encoded)), [{ headers, payload }])
    d.end()
    assert.equal(Buffer.from(eventStream.encode({ headers, payload })).toString('hex'), encoded)
  })
}

test('AWS vector all_headers: every header type decodes', () => {
  const encoded = '000000cc000000af0fae64ca0a6576656e742d74797065040000a00c0c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0a626f6f6c2066616c73650109626f6f6c207472756500046279746502cf08627974652062756606001449276d2061206c6974746c6520746561706f74210974696d657374616d70080000000000845fed05696e74313603002a05696e7436340500000000028757b20475756964090102030405060708090a0b0c0d0e0f107b27666f6f273a27626172277daba5f10c'
  const [m] = eventStream.decoder().push(hex(encoded))
  assert.deepEqual(m?.headers, {
    'event-type': 40972,
    'content-type': 'application/json',
    'bool false': false,
    'bool true': true,
    byte: -49,
    'byte buf': json("I'm a little teapot!"),
    timestamp: new Date(8675309),
    int16: 42,
    int64: 42424242n,
    uuid: '01020304-0506-0708-090a-0b0c0d0e0f10',
  })
  assert.deepEqual(m?.payload, foobar)
})

const negative: Array<[string, string, string]> = [
  ['corrupted_headers', '0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b61666f6f273a27626172277d8d9c08b1', 'bad_message_crc'],
  ['corrupted_header_len', '0000003d0000002107fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1', 'bad_prelude_crc'],
  ['corrupted_length', '0000003e0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1', 'bad_prelude_crc'],
  ['corrupted_payload', '0000001d00000000fd528c5a5b27666f6f273a27626172277dc3653936', 'bad_message_crc'],
]

for (const [name, encoded, code] of negative) {
  test(`AWS vector ${name} is rejected with ${code}`, () => {
    assert.throws(() => eventStream.decoder().push(hex(encoded)), (e: unknown) => e instanceof EventStreamError && e.code === code)
  })
}

const chunk = (inner: string, p = 'abcdefghij'): EventStreamMessage => ({
  headers: { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
  payload: json(JSON.stringify({ bytes: Buffer.from(inner).toString('base64'), p })),
})

const events = [
  '{"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","id":"msg_bdrk_012GBPzpcoMCLP1b2pcJsSHk","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"👋 How"}}',
  '{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":10,"outputTokenCount":15,"invocationLatency":1798,"firstByteLatency":1507}}',
]
const stream = Buffer.concat(events.map((e) => eventStream.encode(chunk(e))))

test('any byte split yields the same messages: one byte at a time', () => {
  const d = eventStream.decoder()
  const out: EventStreamMessage[] = []
  for (const byte of stream) out.push(...d.push(Uint8Array.of(byte)))
  d.end()
  assert.deepEqual(out.map((m) => eventStream.unwrapChunk(m).text), events)
})

test('any byte split yields the same messages: every two-piece split', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = eventStream.decoder()
    const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))]
    d.end()
    assert.equal(out.length, 3, `cut at ${cut}`)
  }
})

test('unwrapChunk returns the inner event text and JSON, padding ignored', () => {
  const { text, event } = eventStream.unwrapChunk(chunk(events[2] ?? '', 'ab'))
  assert.equal(text, events[2])
  assert.deepEqual(event, JSON.parse(events[2] ?? ''))
})

test('a stream cut inside a message is truncated', () => {
  const d = eventStream.decoder()
  d.push(stream.subarray(0, stream.length - 3))
  assert.throws(() => d.end(), (e: unknown) => e instanceof EventStreamError && e.code === 'truncated')
})

test('an exception message throws with its type and message', () => {
  const message: EventStreamMessage = {
    headers: { ':exception-type': 'throttlingException', ':content-type': 'application/json', ':message-type': 'exception' },
    payload: json('{"message":"Too many requests, please wait before trying again."}'),
  }
  const [decoded] = eventStream.decoder().push(eventStream.encode(message))
  assert.throws(
    () => eventStream.unwrapChunk(decoded ?? message),
    (e: unknown) => e instanceof EventStreamError && e.code === 'exception' && e.exceptionType === 'throttlingException' && e.message.includes('Too many requests'),
  )
})

test('an error message (:error-code) throws too', () => {
  const message: EventStreamMessage = { headers: { ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'boom' }, payload: new Uint8Array() }
  assert.throws(() => eventStream.eventOf(message), (e: unknown) => e instanceof EventStreamError && e.exceptionType === 'InternalFailure')
})

test('a non-chunk event or a chunk without bytes is bad_chunk', () => {
  const other: EventStreamMessage = { headers: { ':message-type': 'event', ':event-type': 'messageStart' }, payload: json('{"role":"assistant"}') }
  assert.throws(() => eventStream.unwrapChunk(other), (e: unknown) => e instanceof EventStreamError && e.code === 'bad_chunk')
  const empty: EventStreamMessage = { headers: { ':message-type': 'event', ':event-type': 'chunk' }, payload: json('{"p":"abc"}') }
  assert.throws(() => eventStream.unwrapChunk(empty), (e: unknown) => e instanceof EventStreamError && e.code === 'bad_chunk')
})

test('transform() and decode() stream the same messages', async () => {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < stream.length; i += 7) c.enqueue(stream.subarray(i, i + 7))
      c.close()
    },
  })
  const viaTransform: string[] = []
  const reader = body.pipeThrough(eventStream.transform()).getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) viaTransform.push(eventStream.unwrapChunk(r.value).text)
  assert.deepEqual(viaTransform, events)
  async function* pieces(): AsyncGenerator<Uint8Array> {
    yield stream.subarray(0, 100)
    yield stream.subarray(100)
  }
  const viaDecode: string[] = []
  for await (const m of eventStream.decode(pieces())) viaDecode.push(eventStream.unwrapChunk(m).text)
  assert.deepEqual(viaDecode, events)
})

test('impossible lengths are rejected from the prelude alone, before waiting for the bytes', () => {
  const prelude = Buffer.alloc(12)
  prelude.writeUInt32BE(0x7fffffff, 0)
  prelude.writeUInt32BE(0, 4)
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8)
  assert.throws(() => eventStream.decoder().push(prelude), (e: unknown) => e instanceof EventStreamError && e.code === 'bad_length')
})
