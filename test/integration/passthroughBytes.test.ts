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
