/**
 * A streamed answer's head (status and headers) reaches the client before the model's first event
 * even when the upstream is slow to start; when head and first event arrive together they go out
 * together. The passthrough stream's usage is read from its events although its deltas are not
 * parsed. Real Anthropic SDK and raw HTTP against a local upstream that speaks Anthropic's SSE.
 */
import assert from 'node:assert/strict'
import http, { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'

let gw: TestGateway
let upstream: Server
let key: string
/** How long the upstream waits between its head and its first event, per request (ms). */
let pause = 0
const DELTAS = 40

const ev = (data: { type: string; [k: string]: unknown }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`
const stream = [
  ev({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 21, cache_read_input_tokens: 4, output_tokens: 1 } } }),
  ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ...Array.from({ length: DELTAS }, (_, i) => ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `w${i} ` } })),
  'event: ping\ndata: {"type": "ping"}\n\n',
  ev({ type: 'content_block_stop', index: 0 }),
  ev({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: DELTAS } }),
  ev({ type: 'message_stop' }),
].join('')

before(async () => {
  upstream = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_head' })
      if (pause === 0) return void res.end(stream)
      res.flushHeaders()
      setTimeout(() => res.end(stream), pause)
    })
  })
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done))
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'claude', kind: 'anthropic', apiKey: 'sk-ant-test-0123456789', settings: { baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1` } })
  key = await gw.newKey()
})

after(async () => {
  await gw.stop()
  await new Promise((done) => upstream.close(done))
})

/** One raw streamed call: when the head and the first body byte arrived (ms after sending), and the body. */
function timedCall(): Promise<{ status: number; headAt: number; firstByteAt: number; body: string }> {
  const body = JSON.stringify({ model: '@claude/claude-x', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] })
  const { port } = new URL(gw.url)
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/messages', method: 'POST', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const headAt = performance.now() - t0
      let firstByteAt = -1
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        if (firstByteAt < 0) firstByteAt = performance.now() - t0
        text += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headAt, firstByteAt, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

test('an upstream slow to send its first event: the client has the head long before the first event', async () => {
  pause = 600
  const r = await timedCall()
  assert.equal(r.status, 200)
  assert.ok(r.firstByteAt >= 550, `the first event waited for the upstream (${r.firstByteAt.toFixed(0)} ms)`)
  assert.ok(r.headAt < r.firstByteAt - 300, `the head came at ${r.headAt.toFixed(0)} ms, the first event at ${r.firstByteAt.toFixed(0)} ms`)
  assert.equal(r.body, stream)
})

test('passthrough: the stream arrives byte for byte, and its usage row has the input from message_start and the output from message_delta', async () => {
  pause = 0
  const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
  const s = client.messages.stream({ model: '@claude/claude-x', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
  const final = await s.finalMessage()
  assert.equal(final.content[0]?.type === 'text' ? final.content[0].text : '', Array.from({ length: DELTAS }, (_, i) => `w${i} `).join(''))
  assert.equal(final.usage.output_tokens, DELTAS)
  const raw = await timedCall()
  assert.equal(raw.body, stream)
  const rows = await gw.admin('usage:query', {})
  assert.ok(rows.length >= 2)
  for (const row of rows.slice(0, 2)) {
    assert.equal(row.stream, true)
    assert.equal(row.inputTokens, 25, 'input and cache reads, from message_start')
    assert.equal(row.outputTokens, DELTAS, 'from the last message_delta')
    assert.equal(row.status, 200)
  }
})
