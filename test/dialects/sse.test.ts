/** The SSE parser and writer: line ends, multi-line data, comments, and chunks cut at every byte. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { SseEvent } from '../../main/dialects/sse.ts'
import { sse } from '../../main/dialects/sse.ts'
import { growthRatio } from '../support/growthRatio.ts'

function parse(chunks: (string | Uint8Array)[]): SseEvent[] {
  const p = sse.parser()
  return [...chunks.flatMap((c) => p.push(c)), ...p.end()]
}

const sample = [
  ': this is a comment\n',
  'event: message_start\ndata: {"type":"message_start","text":"héllo 👋"}\n\n',
  'data: line one\ndata:line two\ndata\n\n',
  'event: ping\n\n', // no data: not dispatched
  'id: 7\nretry: 1000\ndata: {"a":1}\n\n',
  'data: [DONE]\n\n',
].join('')

const expected: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start","text":"héllo 👋"}' },
  { data: 'line one\nline two\n' },
  { data: '{"a":1}' },
  { data: '[DONE]' },
]

test('parses events, multi-line data, comments and fields it ignores', () => {
  assert.deepEqual(parse([sample]), expected)
})

for (const [name, eol] of [
  ['CRLF', '\r\n'],
  ['CR', '\r'],
] as const) {
  test(`${name} line ends give the same events`, () => {
    assert.deepEqual(parse([sample.replaceAll('\n', eol)]), expected)
  })
}

test('every two-piece cut of the bytes (UTF-8 sequences and CRLF pairs included) gives the same events', () => {
  for (const text of [sample, sample.replaceAll('\n', '\r\n')]) {
    const bytes = new TextEncoder().encode(text)
    for (let i = 0; i <= bytes.length; i++) assert.deepEqual(parse([bytes.subarray(0, i), bytes.subarray(i)]), expected, `cut at ${i}`)
    assert.deepEqual(parse(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))), expected, 'byte by byte')
  }
})

test('ASCII chunks around broken or split UTF-8 decode as one TextDecoder over the whole stream would', () => {
  const enc = (t: string) => new TextEncoder().encode(t)
  const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]))
  const lone = Uint8Array.of(0xe2) // a lead byte with its continuation bytes missing
  const wave = enc('👋') // four bytes
  const cases: Uint8Array[][] = [
    [cat(enc('data: a'), lone), enc('bc\n\n')],
    [cat(enc('data: a'), wave.subarray(0, 2)), wave.subarray(2), enc('bc\n\n')],
    [cat(enc('data: a'), wave.subarray(0, 1)), enc('bc\n\n'), enc('data: d\n\n')],
    [enc('data: é'), enc('x\n\n'), Buffer.from('data: y\n\n')],
  ]
  for (const chunks of cases) {
    const whole = new TextDecoder().decode(cat(...chunks))
    assert.deepEqual(parse(chunks), parse([whole]), JSON.stringify(whole))
  }
  assert.deepEqual(parse([cat(enc('data: a'), lone), enc('bc\n\n')]), [{ data: 'a\ufffdbc' }])
})

test('a last event without its blank line is still delivered at end()', () => {
  assert.deepEqual(parse(['data: {"x":1}\n\ndata: [DONE]']), [{ data: '{"x":1}' }, { data: '[DONE]' }])
  assert.deepEqual(parse(['data: [DONE]\r']), [{ data: '[DONE]' }])
})

test('only one space after the colon is removed', () => {
  assert.deepEqual(parse(['data:  two spaces\n\n']), [{ data: ' two spaces' }])
})

test('the writer round-trips through the parser, multi-line data included', () => {
  const events: SseEvent[] = [{ event: 'error', data: '{"type":"error"}' }, { data: 'a\nb' }, { data: '' }]
  const text = sse.write(events)
  assert.equal(text, 'event: error\ndata: {"type":"error"}\n\ndata: a\ndata: b\n\ndata: \n\n')
  assert.deepEqual(parse([text]), events)
})

test("an event's wire text, when its writer made one, is written as it is", () => {
  const text = sse.write([{ event: 'a', data: '{}', wire: 'event: a\ndata: {}\n\n' }, { data: 'x' }, { event: 'b', data: 'ignored', wire: ': as made\n\n' }])
  assert.equal(text, 'event: a\ndata: {}\n\ndata: x\n\n: as made\n\n')
})

test('parsing cost grows linearly with the stream (4× the events cost about 4× as much)', () => {
  const data = JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x'.repeat(40) } })
  const event = `event: content_block_delta\ndata: ${data}\n\n`
  const stream = (events: number) => new TextEncoder().encode(event.repeat(events))
  const parseInChunks = (bytes: Uint8Array): number => {
    const p = sse.parser()
    let n = 0
    for (let i = 0; i < bytes.length; i += 1500) n += p.push(bytes.subarray(i, i + 1500)).length
    return n + p.end().length
  }
  assert.equal(parseInChunks(stream(50_000)), 50_000)
  const ratio = growthRatio(parseInChunks, stream(12_500), stream(50_000))
  assert.ok(ratio < 10, `${ratio.toFixed(1)}× the cost at 4× the events`)
})
