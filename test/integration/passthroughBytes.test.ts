/**
 * A passthrough call whose body the gateway changes only in the model reaches the upstream as the
 * caller's own bytes with the model spliced in (formatting, number spelling and escapes kept), not
 * re-serialised; a body the gateway does change (stream usage requested) is serialised.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'

let gw: TestGateway
let upstream: Server
let key: string
const received: Buffer[] = []
const completion = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
})

before(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push(Buffer.concat(chunks))
      if (req.headers.accept === 'text/event-stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        res.end(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`)
      } else res.writeHead(200, { 'content-type': 'application/json' }).end(completion)
    })
  })
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done))
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'up', kind: 'openai', apiKey: 'sk-up-0123456789abcdef', settings: { baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1` } })
  key = await gw.newKey()
})

after(async () => {
  await gw.stop()
  await new Promise((done) => upstream.close(done))
})

const send = (body: string) =>
  fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body })

test('only the model changes: the upstream gets the caller bytes with the model spliced in', async () => {
  const body = '{ "model" : "@up/gpt-4o",\n  "messages": [{"role":"user","content":"h\\u00e9llo \\"model\\": x"}], "temperature": 1.0, "n": 1 }'
  const res = await send(body)
  assert.equal(res.status, 200)
  assert.equal(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content, 'hi')
  assert.equal(received.at(-1)?.toString('utf8'), body.replace('"@up/gpt-4o"', '"gpt-4o"'))
})

test('a body the gateway changes (stream usage requested for the caller) is serialised as before', async () => {
  const body = '{ "model" : "@up/gpt-4o", "stream": true, "messages": [{"role":"user","content":"hi"}], "temperature": 1.0 }'
  const res = await send(body)
  assert.equal(res.status, 200)
  await res.text()
  const sent = received.at(-1)?.toString('utf8') ?? ''
  assert.notEqual(sent, body.replace('"@up/gpt-4o"', '"gpt-4o"'))
  assert.deepEqual(JSON.parse(sent), { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }], temperature: 1, stream_options: { include_usage: true } })
})

/** An agent-sized body: ~60 KB of tool schemas in its own formatting, deferred by parse (lazyBody.ts). */
function agentBody(extra: string, tools = Array.from({ length: 200 }, (_, i) => ({ type: 'function', function: { name: `tool_${i}`, description: `Tool ${i} — reads → writes`, parameters: { type: 'object', properties: { path: { type: 'string' } } } } }))): string {
  return `{"model": "@up/gpt-4o", "messages": [{"role":"user","content":"hi"}],\n "tools": ${JSON.stringify(tools, null, 1)}${extra} }`
}

test('an agent-sized body goes out as the caller sent it, its tool schemas never parsed', async () => {
  const body = agentBody(', "temperature": 1.0')
  assert.ok(body.length > 32 * 1024)
  const res = await send(body)
  assert.equal(res.status, 200)
  await res.json()
  assert.equal(received.at(-1)?.toString('utf8'), body.replace('"@up/gpt-4o"', '"gpt-4o"'))
})

test('an agent-sized body the gateway must change is serialised whole, the deferred tools included', async () => {
  const body = agentBody(', "stream": true')
  const res = await send(body)
  assert.equal(res.status, 200)
  await res.text()
  const sent = JSON.parse(received.at(-1)?.toString('utf8') ?? '{}') as Record<string, unknown>
  const expected = JSON.parse(body) as Record<string, unknown>
  assert.deepEqual(sent, { ...expected, model: 'gpt-4o', stream_options: { include_usage: true } })
})

test('an agent-sized body whose top level is not JSON is refused by the gateway, in the caller’s format', async () => {
  const before = received.length
  for (const broken of [agentBody(',, "n": 1'), agentBody(' "n": 1'), agentBody(', "n": [1] [2]'), `${agentBody('')} trailing`]) {
    const res = await send(broken)
    assert.equal(res.status, 400, broken.slice(-40))
    const err = (await res.json()) as { error: { type: string; message: string } }
    assert.equal(err.error.type, 'invalid_request_error')
    assert.match(err.error.message, /not valid JSON/)
  }
  assert.equal(received.length, before, 'nothing reached the upstream')
})

test('a broken tool schema in an agent-sized body: refused when the gateway reads the tools, the provider judges it when it does not', async () => {
  const tools = JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ name: `tool_${i}`, description: `Tool ${i}`, input_schema: { type: 'object' } }))).replace('"tool_7"', '"tool_7" oops')
  // Anthropic caller, OpenAI upstream: translating reads the tools, and the call is refused in Anthropic's format.
  const before = received.length
  const translated = await fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: `{"model":"@up/gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"tools":${tools}}`,
  })
  assert.equal(translated.status, 400)
  const err = (await translated.json()) as { type: string; error: { type: string; message: string } }
  assert.equal(err.type, 'error')
  assert.equal(err.error.type, 'invalid_request_error')
  assert.match(err.error.message, /not valid JSON.*'tools'/)
  assert.equal(received.length, before)
  // Passthrough: the bytes go as sent, as through any proxy (this upstream accepts anything).
  const body = `{"model":"@up/gpt-4o","messages":[{"role":"user","content":"hi"}],"tools":${tools}}`
  const passed = await send(body)
  assert.equal(passed.status, 200)
  await passed.json()
  assert.equal(received.at(-1)?.toString('utf8'), body.replace('"@up/gpt-4o"', '"gpt-4o"'))
})
