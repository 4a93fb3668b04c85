/**
 * Streams as upstreams really end them: cut off, without [DONE], interleaved tool calls, usage on every
 * chunk, `reasoning` instead of `reasoning_content`, an error from outside (timeout), and passthrough.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChatEvent, DialectId } from '../../main/dialects/canonical.ts'
import { chatError } from '../../main/dialects/chatError.ts'
import type { SseEvent } from '../../main/dialects/sse.ts'
import { sse } from '../../main/dialects/sse.ts'
import { createStreamTranslator, dialects, literalEnd } from '../../main/dialects/translate.ts'
import { splits, translateStream, translateStreamLane } from './streams.ts'

function chunk(delta: object, finish: string | null = null, extra: object = {}): string {
  const choices = [{ index: 0, delta, finish_reason: finish }]
  return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...extra })}\n\n`
}

/** An SSE event named after its `type`, as Anthropic and the Responses API send them. */
const named = (data: { type: string; [field: string]: unknown }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`
const messageStart = (usage: object) => named({ type: 'message_start', message: { id: 'm', model: 'c', usage } })

function canonical(dialect: DialectId, text: string): ChatEvent[] {
  const parser = sse.parser()
  const from = dialects[dialect].stream.toCanonical()
  return [...[...parser.push(text), ...parser.end()].flatMap((e) => from.push(e)), ...from.end()]
}

function translate(upstream: DialectId, caller: DialectId, text: string) {
  const t = createStreamTranslator(upstream, caller)
  const parser = sse.parser()
  const out: SseEvent[] = [...[...parser.push(text), ...parser.end()].flatMap((e) => t.push(e)), ...t.end()]
  return { out, t }
}

test('a chat stream cut off before finish_reason ends in an error event for the caller', () => {
  const { out, t } = translate('openai', 'anthropic', chunk({ role: 'assistant', content: 'Hel' }))
  const last = out.at(-1)
  assert.equal(last?.event, 'error')
  assert.equal(JSON.parse(last?.data ?? '{}').error.type, 'api_error')
  assert.equal(t.usage(), null)
})

test('a chat stream with finish_reason but no [DONE] still stops cleanly', () => {
  const events = canonical('openai', chunk({ content: 'Hi' }) + chunk({}, 'stop'))
  assert.deepEqual(events.at(-1), { type: 'message_stop', stopReason: 'end_turn' })
})

test('an Anthropic stream cut after message_delta stops with its stop reason; cut earlier it is an error', () => {
  const start = messageStart({ input_tokens: 3, output_tokens: 1 })
  const delta = 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":9}}\n\n'
  assert.deepEqual(canonical('anthropic', start + delta).at(-1), { type: 'message_stop', stopReason: 'max_tokens' })
  assert.equal(canonical('anthropic', start).at(-1)?.type, 'error')
})

test('a Responses stream without response.completed is an error', () => {
  const created = named({ type: 'response.created', sequence_number: 0, response: { id: 'r', model: 'm', created_at: 1 } })
  assert.equal(canonical('responses', created).at(-1)?.type, 'error')
})

test('interleaved tool-call deltas go to the call their index names', () => {
  const text =
    chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":' } }] }) +
    chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '{"y":2}' } }] }) +
    chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }) +
    chunk({}, 'tool_calls') +
    'data: [DONE]\n\n'
  const args = new Map<number, string>()
  for (const e of canonical('openai', text)) if (e.type === 'tool_delta') args.set(e.index, (args.get(e.index) ?? '') + e.json)
  assert.deepEqual([...args.values()], ['{"x":1}', '{"y":2}'])
})

test('tool calls without index or id (one whole call per chunk) get distinct blocks and ids', () => {
  const text =
    chunk({ tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }) +
    chunk({ tool_calls: [{ id: 'x2', type: 'function', function: { name: 'g', arguments: '{"a":1}' } }] }) +
    chunk({}, 'stop') +
    'data: [DONE]\n\n'
  const events = canonical('openai', text)
  const starts = events.filter((e) => e.type === 'block_start')
  assert.equal(starts.length, 2)
  assert.deepEqual(
    starts.map((e) => (e.type === 'block_start' && e.block.type === 'tool_call' ? e.block.id : '')),
    ['call_0', 'x2'],
  )
  assert.deepEqual(events.at(-1), { type: 'message_stop', stopReason: 'tool_use' }) // `stop` with tool calls (older Ollama)
})

test('`reasoning` (vLLM, Ollama) is read like `reasoning_content`', () => {
  const events = canonical('openai', chunk({ reasoning: 'hmm' }) + chunk({ content: 'ok' }) + chunk({}, 'stop') + 'data: [DONE]\n\n')
  assert.deepEqual(
    events.filter((e) => e.type === 'thinking_delta' || e.type === 'text_delta'),
    [
      { type: 'thinking_delta', index: 0, text: 'hmm' },
      { type: 'text_delta', index: 1, text: 'ok' },
    ],
  )
})

test('usage on every chunk (vLLM continuous usage): the last figure wins', () => {
  const usage = (n: number) => ({ usage: { prompt_tokens: 5, completion_tokens: n, total_tokens: 5 + n } })
  const text = chunk({ content: 'a' }, null, usage(1)) + chunk({ content: 'b' }, null, usage(2)) + chunk({}, 'stop', usage(3))
  const { t } = translate('openai', 'responses', text)
  assert.deepEqual(t.usage(), { inputTokens: 5, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 })
})

test('fail() ends a stream in the caller dialect, once, and not after it finished', () => {
  for (const caller of ['openai', 'anthropic', 'responses'] as const) {
    const t = createStreamTranslator('openai', caller)
    for (const e of sse.parser().push(chunk({ role: 'assistant', content: 'Hi' }))) t.push(e)
    const out = t.fail(chatError('timeout', 'Upstream timed out after 600 s', 504))
    assert.ok(out.length > 0, caller)
    assert.match(sse.write(out), /Upstream timed out/)
    assert.deepEqual(t.fail(chatError('timeout', 'again', 504)), [])
  }
  const done = createStreamTranslator('openai', 'anthropic')
  for (const e of sse.parser().push(chunk({ content: 'x' }) + chunk({}, 'stop') + 'data: [DONE]\n\n')) done.push(e)
  assert.deepEqual(done.fail(chatError('timeout', 'late', 504)), [])
})

test('same dialect: events pass through untouched while usage is read (Anthropic passthrough tap)', () => {
  const text = [
    messageStart({ input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 1 }),
    'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
    'event: ping\ndata: {"type": "ping"}\n\n',
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}\n\n',
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ].join('')
  const { out, t } = translate('anthropic', 'anthropic', text)
  assert.equal(sse.write(out), text)
  assert.deepEqual(t.usage(), { inputTokens: 100, outputTokens: 7, cacheReadTokens: 90, cacheWriteTokens: 0, reasoningTokens: 0 })
})

/** Calls of JSON.parse while `fn` runs. */
function parsesDuring(fn: () => void): number {
  const real = JSON.parse
  let n = 0
  JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    n++
    return real(text, reviver)
  }) as typeof JSON.parse
  try {
    fn()
  } finally {
    JSON.parse = real
  }
  return n
}

test('passthrough parses only the events that can carry usage, the end or an error, not the deltas (Anthropic, Responses)', () => {
  const deltas = (n: number, event: (i: number) => string) => Array.from({ length: n }, (_, i) => event(i)).join('')
  const anthropicText = [
    messageStart({ input_tokens: 10, output_tokens: 1 }),
    named({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    deltas(50, (i) => named({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `w${i} ` } })),
    'event: ping\ndata: {"type": "ping"}\n\n',
    named({ type: 'content_block_stop', index: 0 }),
    named({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 50 } }),
    named({ type: 'message_stop' }),
  ].join('')
  let a!: ReturnType<typeof translate>
  assert.equal(parsesDuring(() => (a = translate('anthropic', 'anthropic', anthropicText))), 5)
  assert.equal(sse.write(a.out), anthropicText)
  assert.deepEqual(a.t.usage(), { inputTokens: 10, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 })

  const response = { id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-5', output: [] as unknown[] }
  const responsesText = [
    named({ type: 'response.created', response: { ...response, status: 'in_progress' } }),
    named({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } }),
    named({ type: 'response.content_part.added', output_index: 0, content_index: 0, part: { type: 'output_text', text: '' } }),
    deltas(50, (i) => named({ type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: `w${i} ` })),
    named({ type: 'response.completed', response: { ...response, usage: { input_tokens: 12, output_tokens: 50, total_tokens: 62 } } }),
  ].join('')
  let r!: ReturnType<typeof translate>
  assert.equal(parsesDuring(() => (r = translate('responses', 'responses', responsesText))), 4)
  assert.equal(sse.write(r.out), responsesText)
  assert.equal(r.t.usage()?.inputTokens, 12)
  assert.equal(r.t.usage()?.outputTokens, 50)

  // Translated, every delta is still read.
  assert.ok(parsesDuring(() => translate('anthropic', 'openai', anthropicText)) > 50)
})

test('Anthropic server tool blocks are skipped and the remaining blocks renumbered', () => {
  const text = [
    messageStart({ input_tokens: 1, output_tokens: 1 }),
    named({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
    }),
    named({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } }),
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
    'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Found it."}}\n\n',
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n',
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}\n\n',
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ].join('')
  const blocks = canonical('anthropic', text).filter((e) => e.type === 'block_start' || e.type === 'text_delta' || e.type === 'block_stop')
  assert.deepEqual(blocks, [
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'text_delta', index: 0, text: 'Found it.' },
    { type: 'block_stop', index: 0 },
  ])
})

/**
 * Text deltas read through the stream's text template (openai/stream.ts) must give what a full parse
 * gives. The reference stream is the same chunks with a field in front that differs on every chunk,
 * so no chunk ever matches a template and each is parsed whole.
 */
test('OpenAI text chunks read through the text template translate exactly as fully parsed ones', () => {
  const head = (i: number, tail: string) => (i < 0 ? tail : `{"seq":${i},${tail.slice(1)}`)
  const cases: Array<{ name: string; chunks: string[] }> = [
    {
      name: 'escapes, quotes, the template tail inside a string, empty and invalid content',
      chunks: [
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" \\"quoted\\" \\\\ back\\nline \\u00e9\\ud83d\\ude00"},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"\\"},\\"finish_reason\\":null}]}"},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":""},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"bad \u0001 control"},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"bad \\x escape"},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a"}, "finish_reason":null}]}',
        '{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" new id"},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" last"},"finish_reason":"stop"}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}',
      ],
    },
    {
      name: 'text, then tool calls, then text again',
      chunks: [
        '{"id":"t","created":2,"model":"m","choices":[{"index":0,"delta":{"content":"Let me"},"finish_reason":null}]}',
        '{"id":"t","created":2,"model":"m","choices":[{"index":0,"delta":{"content":" look."},"finish_reason":null}]}',
        '{"id":"t","created":2,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get","arguments":"{\\"a\\":"}}]},"finish_reason":null}]}',
        '{"id":"t","created":2,"model":"m","choices":[{"index":0,"delta":{"content":"more"},"finish_reason":null}]}',
        '{"id":"t","created":2,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
      ],
    },
    {
      // The content equals a later string of the chunk: the template must not take that string for the content.
      name: 'a content string that also appears elsewhere in the chunk',
      chunks: [
        '{"id":"x","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"model":"Hi"}',
        '{"id":"x","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"model":"Hi"}',
        '{"id":"x","choices":[{"index":0,"delta":{"content":"Yo"},"finish_reason":null}],"model":"Hi"}',
        '{"id":"x","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"model":"Yo"}',
        '{"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"model":"Hi"}',
      ],
    },
  ]
  let copied = 0
  for (const { name, chunks } of cases) {
    const wire = (seq: boolean) => chunks.map((c, i) => `data: ${head(seq ? i : -1, c)}\n\n`).join('') + 'data: [DONE]\n\n'
    const fast = canonical('openai', wire(false))
    // A delta read through the template carries its content literal for JSON writers to copy: the same text.
    const literals = fast.flatMap((e) => (e.type === 'text_delta' && e.literal !== undefined ? [e] : []))
    for (const e of literals) assert.equal(JSON.parse(e.literal as string), e.text, name)
    copied += literals.length
    const bare = (events: ChatEvent[]) => events.map((e) => (e.type === 'text_delta' ? { type: e.type, index: e.index, text: e.text } : e))
    assert.deepEqual(bare(fast), canonical('openai', wire(true)), name)
    assert.ok(fast.some((e) => e.type === 'text_delta'), name)
    // The literal is copied as the upstream escaped it (`\u00e9` stays so): equal as JSON, not as bytes.
    const parsed = (events: SseEvent[]) => events.map((e) => ({ event: e.event, data: JSON.parse(e.data) as unknown }))
    assert.deepEqual(parsed(translate('openai', 'anthropic', wire(false)).out), parsed(translate('openai', 'anthropic', wire(true)).out), name)
  }
  assert.ok(copied >= 2, `${copied} deltas read through a template`)
  const escaped = translate('openai', 'anthropic', cases[0]!.chunks.map((c) => `data: ${c}\n\n`).join('')).out
  assert.ok(escaped.some((e) => e.data.includes('line \\u00e9\\ud83d\\ude00')), 'the escaped literal went out as the upstream wrote it')
})

test("the Anthropic writer's text deltas carry their wire text: the event as written from its fields, the text intact", () => {
  const to = dialects.anthropic.stream.fromCanonical({ model: 'm' })
  const events: ChatEvent[] = [
    { type: 'message_start', id: 'i', model: 'm' },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'thinking_delta', index: 0, text: 'hm' },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'text_delta', index: 1, text: 'plain "quoted"\nnew line' },
    { type: 'text_delta', index: 1, text: 'é', literal: '"\\u00e9"' },
    { type: 'text_delta', index: 0, text: 'into a thinking block' }, // no text head: the general path
  ]
  const out = events.flatMap((e) => to.push(e))
  const deltas = out.filter((e) => e.event === 'content_block_delta')
  assert.equal(deltas.filter((e) => e.wire !== undefined).length, 2)
  for (const e of deltas) if (e.wire !== undefined) assert.equal(e.wire, sse.write([{ event: e.event, data: e.data }]))
  const texts = sse.parser().push(sse.write(out)).filter((e) => e.event === 'content_block_delta').map((e) => JSON.parse(e.data) as { index: number; delta: { text?: string } })
  assert.deepEqual(texts.map((d) => [d.index, d.delta.text]), [[0, undefined], [1, 'plain "quoted"\nnew line'], [1, 'é'], [0, 'into a thinking block']])
})

test('literalEnd finds the end of a well-formed JSON string literal and refuses anything JSON.parse would', () => {
  const cases: Array<[string, number]> = [
    ['"abc"}', 5],
    ['""', 2],
    ['"a\\"b"', 6],
    ['"a\\\\"b', 5],
    ['"\\"\\/\\b\\f\\n\\r\\t"x', 16],
    ['"\\u00e9\\uD83D"', 14],
    ['"é 😀"', 6],
    ['abc"', -1],
    ['"unterminated', -1],
    ['"bad \\x escape"', -1],
    ['"bad \\u00g9"', -1],
    ['"short \\u00"', -1],
    ['"raw \u0001 control"', -1],
    ['"raw \n newline"', -1],
    ['"ends in a backslash \\', -1],
  ]
  for (const [s, end] of cases) {
    assert.equal(literalEnd(s, 0), end, s)
    if (end > 0) assert.equal(typeof JSON.parse(s.slice(0, end)), 'string', s)
  }
  assert.equal(literalEnd('x:"y"', 2), 5)
})

/**
 * The gateway copies a translated stream's common text deltas as text (translate.ts, lane). Whatever
 * the chunks, line ends, spacing and events between them, the caller must get byte for byte what
 * parsing every event gives.
 */
test('the text lane writes exactly what translating every event writes, however the stream is cut', () => {
  const c = (content: string, extra = '') => `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${content}},"finish_reason":null}]${extra}}`
  const events = [
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
    c('"Hello"'),
    c('" world"'),
    c('" \\"quoted\\" \\\\ back\\nline \\u00e9\\ud83d\\ude00 é 😀"'),
    c('""'),
    c('"\\"},\\"finish_reason\\":null}]}"'),
    c('"bad \\x escape"'),
    c('"a"', ',"usage":null'),
    c('"after"'),
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get","arguments":"{}"}}]},"finish_reason":null}]}',
    c('"text again"'),
    c('"and more"'),
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12}}',
    '[DONE]',
  ]
  const styles: Record<string, string> = {
    lf: events.map((e) => `data: ${e}\n\n`).join(''),
    crlf: events.map((e) => `data: ${e}\r\n\r\n`).join(''),
    'no space, comments, ids': events.map((e, i) => (i % 3 ? `data:${e}\n\n` : `: keep-alive\nid: ${i}\ndata: ${e}\n\n`)).join(''),
    'data in two lines': events.map((e, i) => (i === 3 ? `data: ${e.slice(0, 20)}\ndata: ${e.slice(20)}\n\n` : `data: ${e}\n\n`)).join(''),
  }
  let read = 0
  for (const [style, text] of Object.entries(styles)) {
    for (const { name, chunks } of splits(new TextEncoder().encode(text), 8)) {
      const expected = translateStream(chunks, 'openai', 'anthropic', { model: 'm' })
      const got = translateStreamLane(chunks, 'openai', 'anthropic', { model: 'm' })
      assert.equal(got.out, expected, `${style}, ${name}`)
      if (style === 'lf' && name === 'whole') assert.ok(got.lane >= 5, `${got.lane} events read by the lane`)
      read += got.lane
    }
  }
  assert.ok(read > 100, `${read} events read by the lane in all`)
})

test('streams without a text lane keep the general path: passthrough, and callers other than Anthropic', () => {
  assert.equal(createStreamTranslator('openai', 'openai').lane, null)
  assert.equal(createStreamTranslator('anthropic', 'anthropic').lane, null)
  assert.equal(createStreamTranslator('openai', 'responses').lane, null)
  assert.equal(createStreamTranslator('anthropic', 'openai').lane, null)
  assert.notEqual(createStreamTranslator('openai', 'anthropic').lane, null)
})
