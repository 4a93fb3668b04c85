/**
 * Bench-only mock upstream, run as its own process by `bench/run.ts`. As cheap as an HTTP server can
 * be: it reads the request body without parsing it and answers `/v1/chat/completions` with a fixed
 * OpenAI-shaped chat.completion (with usage), or, when the body asks for `"stream":true`, a short SSE
 * stream whose first event goes out at once. `/v1/messages` answers the same in Anthropic's shape. A
 * body that asks for "a hundred words" gets a stream of 100 text deltas in either dialect, the same
 * content both ways (the translation figure compares the two). Records nothing. Listens on 127.0.0.1 only.
 * IPC: `{ id, cmd: 'cpu' }` → `{ id, cpu: process.cpuUsage(), rss }`; `{ cmd: 'stop' }` exits.
 */
import http from 'node:http'

const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench0000000000000000000000',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: 'gpt-4o-2024-08-06',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 10,
      total_tokens: 29,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_bench',
  }),
)

const chunk = (delta: Record<string, unknown>, finish: string | null, withUsageNull: boolean) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: 'gpt-4o-2024-08-06',
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsageNull ? { usage: null } : {}),
  })}\n\n`

function streamParts(includeUsage: boolean): { first: Buffer; rest: Buffer } {
  const words = ['Hello', '!', ' How', ' can', ' I', ' help', ' you', ' today', '?']
  let rest = ''
  for (const w of words) rest += chunk({ content: w }, null, includeUsage)
  rest += chunk({}, 'stop', includeUsage)
  if (includeUsage) {
    rest += `data: ${JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: 1_760_000_000,
      model: 'gpt-4o-2024-08-06',
      system_fingerprint: 'fp_bench',
      choices: [],
      usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
    })}\n\n`
  }
  rest += 'data: [DONE]\n\n'
  return { first: Buffer.from(chunk({ role: 'assistant', content: '', refusal: null }, null, includeUsage)), rest: Buffer.from(rest) }
}
const streamWithUsage = streamParts(true)
const streamPlain = streamParts(false)

// Translation figure: 100 text deltas, OpenAI chat and Anthropic, same words.
const words100 = Array.from({ length: 100 }, (_, i) => `word${i} `)
const openai100 = (() => {
  const c = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
  const rest = [...words100.map((w) => c({ content: w }, null)), c({}, 'stop'), `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 12, completion_tokens: 100, total_tokens: 112 } })}\n\n`, 'data: [DONE]\n\n']
  return { first: Buffer.from(c({ role: 'assistant', content: '' }, null)), rest: Buffer.from(rest.join('')) }
})()
const ev = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
const anthropicStream = (texts: string[]) => ({
  first: Buffer.from(ev('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } })),
  rest: Buffer.from(
    [
      ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ...texts.map((w) => ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } })),
      ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
      ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: texts.length } }),
      ev('message_stop', { type: 'message_stop' }),
    ].join(''),
  ),
})
const anthropic100 = anthropicStream(words100)
const anthropicShort = anthropicStream(['Hello', '!', ' How', ' can', ' I', ' help', '?'])
const message = Buffer.from(
  JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 19, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  }),
)
const HUNDRED = Buffer.from('a hundred words')

const jsonHeaders = { 'content-type': 'application/json', 'content-length': String(completion.length), 'x-request-id': 'req_bench' }
const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': 'req_bench' }
const STREAM_TRUE = Buffer.from('"stream":true')
const INCLUDE_USAGE = Buffer.from('"include_usage":true')

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const anthropic = req.url?.startsWith('/v1/messages') === true
    if (req.method !== 'POST' || (!anthropic && !req.url?.startsWith('/v1/chat/completions'))) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"invalid_request_error"}}')
      return
    }
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    if (body.indexOf(STREAM_TRUE) < 0) {
      if (anthropic) res.writeHead(200, { ...jsonHeaders, 'content-length': String(message.length) }).end(message)
      else res.writeHead(200, jsonHeaders).end(completion)
      return
    }
    const long = body.indexOf(HUNDRED) >= 0
    const parts = anthropic ? (long ? anthropic100 : anthropicShort) : long ? openai100 : body.indexOf(INCLUDE_USAGE) >= 0 ? streamWithUsage : streamPlain
    res.writeHead(200, sseHeaders)
    res.write(parts.first) // the first token leaves at once: this is what time-to-first-byte measures
    setImmediate(() => res.end(parts.rest))
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000

server.listen(0, '127.0.0.1', () => {
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid })
})

process.on('message', (m: { id?: number; cmd?: string }) => {
  if (m.cmd === 'cpu') process.send?.({ id: m.id, cpu: process.cpuUsage(), rss: process.memoryUsage.rss() })
  else if (m.cmd === 'stop') {
    server.close()
    server.closeAllConnections()
    process.exit(0)
  }
})
process.on('disconnect', () => process.exit(0))
