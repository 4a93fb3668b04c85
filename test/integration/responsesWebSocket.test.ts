/**
 * The Responses API over WebSocket (`GET /v1/responses` upgraded), spoken with the `ws` client as Codex
 * speaks it: the handshake is authenticated, each `response.create` message streams the same events as
 * the HTTP stream (one JSON event per text message) and leaves one usage row, `previous_response_id`
 * is expanded from what the socket remembers (so a translated chat upstream gets the whole
 * conversation), `generate: false` warms up without an upstream call, and bad messages get an error
 * event on a socket that stays usable.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import WebSocket from 'ws'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { rowsFor } from '../conformance/matrix.ts'

const OPENAI_KEY = 'sk-openai-ws-0123456789abcdef'
let gw: TestGateway
let openai: Upstream
let chat: Upstream
let key: string

before(async () => {
  ;[openai, chat] = await Promise.all([startOpenAIUpstream({ apiKey: OPENAI_KEY, responses: true, models: ['gpt-5'] }), startOpenAIUpstream({ models: ['qwen3'] })])
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: OPENAI_KEY, settings: { baseUrl: openai.url } })
  await gw.admin('integrations:create', { slug: 'local', kind: 'openai-compatible', settings: { baseUrl: chat.url } })
  key = await gw.newKey('ws')
})
after(async () => {
  await gw.stop()
  await Promise.all([openai.close(), chat.close()])
})

type Event = { type: string; [k: string]: unknown }

/** An open socket and a reader of its messages in order. */
async function connect(headers: Record<string, string>): Promise<{ ws: WebSocket; next(): Promise<Event>; untilDone(): Promise<Event[]> }> {
  const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/v1/responses`, { headers })
  const queue: Event[] = []
  const waiting: Array<(e: Event) => void> = []
  ws.on('message', (data, binary) => {
    assert.equal(binary, false, 'events are text messages')
    const e = JSON.parse(String(data)) as Event
    const w = waiting.shift()
    if (w) w(e)
    else queue.push(e)
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const next = () => {
    const e = queue.shift()
    return e ? Promise.resolve(e) : new Promise<Event>((resolve) => waiting.push(resolve))
  }
  return {
    ws,
    next,
    async untilDone() {
      const events: Event[] = []
      for (;;) {
        const e = await next()
        events.push(e)
        // An `error` with a status refuses the request; one without it is in-band, and `response.failed` follows.
        if (e.type === 'response.completed' || e.type === 'response.failed' || e.type === 'response.incomplete' || (e.type === 'error' && e.status)) return events
      }
    },
  }
}

/** The handshake's HTTP answer when the server refuses to upgrade. */
function refusal(headers: Record<string, string>, path = '/v1/responses'): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(`${gw.url.replace('http', 'ws')}${path}`, { headers })
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the upgrade was accepted')))
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    ws.once('error', () => undefined)
  })
}

const send = (ws: WebSocket, msg: unknown) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg))
const userText = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] })

test('the handshake is refused without a key, with a wrong key, from a web page, and on other paths', async () => {
  const calls = openai.requests.length + chat.requests.length
  assert.equal((await refusal({})).status, 401)
  const wrong = await refusal({ authorization: 'Bearer sy-not-a-key' })
  assert.equal(wrong.status, 401)
  assert.match(wrong.body, /invalid API key/)
  assert.equal((await refusal({ authorization: `Bearer ${key}`, origin: 'https://evil.example' })).status, 403)
  assert.equal((await refusal({ authorization: `Bearer ${key}` }, '/v1/chat/completions')).status, 404)
  assert.equal(openai.requests.length + chat.requests.length, calls)
})

test('response.create streams the Responses events as text messages and leaves one usage row', async () => {
  const traceId = randomUUID()
  const s = await connect({ authorization: `Bearer ${key}`, 'x-portkey-trace-id': traceId })
  try {
    const before = openai.requests.length
    send(s.ws, { type: 'response.create', model: '@openai/gpt-5', input: [userText('say hi')], stream: true, store: false })
    const events = await s.untilDone()
    assert.equal(events[0]?.type, 'response.created')
    assert.ok(events.some((e) => e.type === 'response.output_text.delta'))
    const done = events.at(-1) as Event & { response: { id: string; output: unknown[] } }
    assert.equal(done.type, 'response.completed')
    assert.match(JSON.stringify(done.response.output), /Hello from gpt-5: say hi/)
    assert.equal(openai.requests.length, before + 1)
    const sent = openai.requests.at(-1)?.body as Record<string, unknown>
    assert.equal(sent.stream, true)
    assert.equal(sent.type, undefined, 'the message type is not part of the request')
    const [row] = await rowsFor(gw, traceId)
    assert.equal(row?.status, 200)
    assert.ok((row?.outputTokens ?? 0) > 0)
  } finally {
    s.ws.close()
  }
})

test('previous_response_id is expanded into the whole conversation for a translated chat upstream', async () => {
  const traceId = randomUUID()
  const s = await connect({ authorization: `Bearer ${key}`, 'x-portkey-trace-id': traceId })
  try {
    send(s.ws, { type: 'response.create', model: '@local/qwen3', instructions: 'Be brief.', input: [userText('first question')] })
    const first = (await s.untilDone()).at(-1) as Event & { response: { id: string } }
    assert.equal(first.type, 'response.completed')
    send(s.ws, { type: 'response.create', model: '@local/qwen3', instructions: 'Be brief.', previous_response_id: first.response.id, input: [userText('second question')] })
    const second = (await s.untilDone()).at(-1) as Event
    assert.equal(second.type, 'response.completed')
    const messages = (chat.requests.at(-1)?.body as { messages: Array<{ role: string; content: unknown }> }).messages
    const text = messages.map((m) => `${m.role}:${JSON.stringify(m.content)}`)
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'assistant', 'user'], text.join('\n'))
    assert.match(text[1] ?? '', /first question/)
    assert.match(text[2] ?? '', /Hello from qwen3: first question/)
    assert.match(text[3] ?? '', /second question/)
    assert.equal((await rowsFor(gw, traceId, 2)).length, 2)

    // A response that this socket never produced cannot be continued.
    send(s.ws, { type: 'response.create', model: '@local/qwen3', previous_response_id: 'resp_unknown', input: [userText('x')] })
    const missing = await s.next()
    assert.equal(missing.type, 'error')
    assert.equal(missing.status, 400)
    assert.match(JSON.stringify(missing.error), /resp_unknown/)
    assert.equal((missing.error as { code: string }).code, 'previous_response_not_found')
  } finally {
    s.ws.close()
  }
})

test('generate:false warms up without an upstream call; the next request continues from it', async () => {
  const s = await connect({ authorization: `Bearer ${key}` })
  try {
    const before = chat.requests.length
    send(s.ws, { type: 'response.create', model: '@local/qwen3', generate: false, input: [userText('warm context')] })
    const warm = (await s.untilDone()).at(-1) as Event & { response: { id: string; output: unknown[] } }
    assert.equal(warm.type, 'response.completed')
    assert.deepEqual(warm.response.output, [])
    assert.equal(chat.requests.length, before, 'no upstream call for a warm-up')
    send(s.ws, { type: 'response.create', model: '@local/qwen3', previous_response_id: warm.response.id, input: [userText('now answer')] })
    assert.equal((await s.untilDone()).at(-1)?.type, 'response.completed')
    const messages = (chat.requests.at(-1)?.body as { messages: Array<{ content: unknown }> }).messages
    assert.match(JSON.stringify(messages), /warm context.*now answer/)
  } finally {
    s.ws.close()
  }
})

test('bad messages get an error event and the socket keeps working', async () => {
  const s = await connect({ 'x-portkey-api-key': key })
  try {
    send(s.ws, '{not json')
    const bad = await s.next()
    assert.equal(bad.type, 'error')
    assert.equal(bad.status, 400)
    send(s.ws, { type: 'session.update' })
    assert.equal((await s.next()).status, 400)
    send(s.ws, { type: 'response.create', model: '@nowhere/gpt-5', input: 'hi' })
    const unknown = await s.next()
    assert.equal(unknown.type, 'error')
    assert.equal(unknown.status, 404)
    send(s.ws, { type: 'response.create', model: '@openai/gpt-5', input: 'still here?' })
    const done = (await s.untilDone()).at(-1) as Event & { response: { output: unknown[] } }
    assert.match(JSON.stringify(done.response.output), /still here\?/)
  } finally {
    s.ws.close()
  }
})

test('upstream failures: a 429 before the stream is an error event with its status; a dropped stream ends in-band', async () => {
  const traceId = randomUUID()
  const s = await connect({ authorization: `Bearer ${key}`, 'x-portkey-trace-id': traceId })
  try {
    send(s.ws, { type: 'response.create', model: '@openai/gpt-5-error-429', input: 'hi' })
    const limited = await s.next()
    assert.equal(limited.type, 'error')
    assert.equal(limited.status, 429, JSON.stringify(limited))
    assert.equal(typeof (limited.error as { message?: unknown }).message, 'string')

    send(s.ws, { type: 'response.create', model: '@openai/gpt-5-stream-drop', input: 'hi' })
    const dropped = await s.untilDone()
    assert.equal(dropped[0]?.type, 'response.created')
    // As on the HTTP stream: an `error` event, then `response.failed` naming the cause.
    assert.deepEqual(dropped.slice(-2).map((e) => e.type), ['error', 'response.failed'])
    assert.match(JSON.stringify(dropped.at(-1)), /closed the connection/)

    const rows = await rowsFor(gw, traceId, 2)
    assert.deepEqual(rows.map((r) => r.status >= 400), [true, true])
    send(s.ws, { type: 'response.create', model: '@openai/gpt-5', input: 'after the failures' })
    assert.equal((await s.untilDone()).at(-1)?.type, 'response.completed')
  } finally {
    s.ws.close()
  }
})

test('closing the socket mid-response cancels the upstream call and still leaves its usage row', async () => {
  const traceId = randomUUID()
  const s = await connect({ authorization: `Bearer ${key}`, 'x-portkey-trace-id': traceId })
  send(s.ws, { type: 'response.create', model: '@openai/gpt-5-slow-first-byte', input: 'hi' })
  await new Promise((r) => setTimeout(r, 50))
  s.ws.terminate()
  const [row] = await rowsFor(gw, traceId)
  assert.ok((row?.status ?? 0) >= 400, JSON.stringify(row))
})

test('governance applies per response: the key rate limit refuses the third request with 429; a key revoked mid-socket gets 401', async () => {
  const limited = await gw.admin('keys:create', { name: 'ws-limited' })
  await gw.admin('limits:set', { scope: 'apiKey', id: limited.id, policy: { rateLimits: [{ unit: 'requests', limit: 2, per: 'hour' }] } })
  const s = await connect({ authorization: `Bearer ${limited.key}` })
  try {
    for (const n of ['one', 'two']) {
      send(s.ws, { type: 'response.create', model: '@openai/gpt-5', input: n })
      assert.equal((await s.untilDone()).at(-1)?.type, 'response.completed')
    }
    const before = openai.requests.length
    send(s.ws, { type: 'response.create', model: '@openai/gpt-5', input: 'three' })
    const refused = await s.next()
    assert.equal(refused.type, 'error')
    assert.equal(refused.status, 429, JSON.stringify(refused))
    assert.equal(openai.requests.length, before, 'refused before the upstream')

    await gw.admin('keys:revoke', { id: limited.id })
    send(s.ws, { type: 'response.create', model: '@openai/gpt-5', input: 'four' })
    const revoked = await s.next()
    assert.equal(revoked.status, 401, JSON.stringify(revoked))
  } finally {
    s.ws.close()
  }
})

test('a flood of requests past the queue bound closes the socket with 1008; the gateway keeps serving', async () => {
  const s = await connect({ authorization: `Bearer ${key}` })
  const closed = new Promise<number>((resolve) => s.ws.once('close', (code) => resolve(code)))
  for (let i = 0; i < 40; i++) send(s.ws, { type: 'response.create', model: '@openai/gpt-5-slow-first-byte', input: `n${i}` })
  assert.equal(await closed, 1008)
  const t = await connect({ authorization: `Bearer ${key}` })
  try {
    send(t.ws, { type: 'response.create', model: '@openai/gpt-5', input: 'after the flood' })
    assert.equal((await t.untilDone()).at(-1)?.type, 'response.completed')
  } finally {
    t.ws.close()
  }
})

test('stopping the gateway closes idle sockets with 1001 instead of waiting for the clients (last: it stops the gateway)', async () => {
  const s = await connect({ authorization: `Bearer ${key}` })
  const closed = new Promise<number>((resolve) => s.ws.once('close', (code) => resolve(code)))
  const started = Date.now()
  await gw.stop()
  assert.equal(await closed, 1001)
  assert.ok(Date.now() - started < 1500, `stop took ${Date.now() - started} ms`)
})
