/**
 * Bench-only mock upstream, run as its own process by `bench/run.ts`. As cheap as an HTTP server can
 * be: it reads the request body without parsing it and answers `/v1/chat/completions` with a fixed
 * OpenAI-shaped chat.completion (with usage), or, when the body asks for `"stream":true`, a short SSE
 * stream whose first event goes out at once. Records nothing. Listens on 127.0.0.1 only.
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

const jsonHeaders = { 'content-type': 'application/json', 'content-length': String(completion.length), 'x-request-id': 'req_bench' }
const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': 'req_bench' }
const STREAM_TRUE = Buffer.from('"stream":true')
const INCLUDE_USAGE = Buffer.from('"include_usage":true')

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"invalid_request_error"}}')
      return
    }
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    if (body.indexOf(STREAM_TRUE) < 0) {
      res.writeHead(200, jsonHeaders).end(completion)
      return
    }
    const parts = body.indexOf(INCLUDE_USAGE) >= 0 ? streamWithUsage : streamPlain
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
