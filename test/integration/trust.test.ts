/**
 * Trust properties through real HTTP (issue 8): no secret in any stream, bring-your-own keys scrubbed,
 * a client that leaves still pays, broken streams recorded as failures, no gateway loops, nothing
 * expensive before authentication, clear errors for oversized and deeply nested bodies, and
 * `/v1/models` honouring the key's scopes and providers.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { setLogLevel, setLogSink } from '../../main/log.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { usageFor } from '../support/usageFor.ts'

const VAULT_KEY = `sk-vault-${randomUUID()}`
const BYO_KEY = `sk-byo-${randomUUID()}`
const INLINE_KEY = `sk-inline-${randomUUID()}`
const logs: string[] = []
let gw: TestGateway
let upstream: Server
let upstreamUrl = ''
let key = ''
const hops: string[] = []

const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`

/** The upstream's behaviour is chosen by the request's last user message. */
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  hops.push(String(req.headers['x-switchyard-hops']))
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: Array<{ content: string }>; stream?: boolean }
  const mode = String(body.messages.at(-1)?.content)
  const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '')
  if (mode === 'echo-json') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: `your key is ${auth}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } }))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  if (mode === 'echo-stream') {
    // The key split across two writes, inside an in-band error event; no terminator.
    const event = `data: ${JSON.stringify({ error: { message: `Incorrect API key provided: ${auth}`, type: 'invalid_request_error' } })}\n\n`
    const cut = event.indexOf(auth) + 7
    res.write(chunk('hello'))
    res.write(event.slice(0, cut))
    await new Promise((r) => setTimeout(r, 30))
    res.end(event.slice(cut))
    return
  }
  if (mode === 'no-terminator') {
    res.write(chunk('hello there'))
    res.end()
    return
  }
  if (mode === 'slow') {
    for (let i = 0; i < 200 && !res.destroyed; i++) {
      res.write(chunk(' word'))
      await new Promise((r) => setTimeout(r, 10))
    }
    if (!res.destroyed) res.end(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 5, completion_tokens: 200, total_tokens: 205 } })}\n\ndata: [DONE]\n\n`)
    return
  }
  res.write(chunk('ok'))
  res.end(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`)
}

before(async () => {
  setLogSink((line) => void logs.push(line))
  setLogLevel('debug')
  upstream = createServer((req, res) => void serve(req, res))
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r))
  const addr = upstream.address()
  upstreamUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  gw = await startTestGateway({ bodyLimits: { maxBytes: 64 * 1024, maxInFlightBytes: 256 * 1024, timeoutMs: 1500 } })
  await gw.admin('integrations:create', { slug: 'up', kind: 'openai', apiKey: VAULT_KEY, settings: { baseUrl: `${upstreamUrl}/v1` } })
  key = await gw.newKey()
})

after(async () => {
  await gw.stop()
  upstream.close()
})

type Sent = { status: number; text: string }

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Sent> {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, text: await res.text() }
}

const chat = (mode: string, extra: Record<string, unknown> = {}) => ({ model: '@up/gpt-4o', stream: true, messages: [{ role: 'user', content: mode }], ...extra })

describe('secrets', () => {
  test('1. a key echoed inside a stream, split across chunks, reaches neither the client nor the usage row', async () => {
    const trace = randomUUID()
    const passthrough = await post('/v1/chat/completions', chat('echo-stream'), { 'x-portkey-trace-id': trace })
    assert.match(passthrough.text, /Incorrect API key provided: \[redacted\]/)
    assert.ok(!passthrough.text.includes(VAULT_KEY))
    const row = await usageFor(gw, trace)
    assert.equal(row.status, 502, 'an in-band error is a failure')
    assert.ok(!String(row.error).includes(VAULT_KEY), String(row.error))
    // Translated: an Anthropic caller, an OpenAI upstream.
    const translated = await post('/v1/messages', { ...chat('echo-stream'), max_tokens: 50 }, { 'x-portkey-trace-id': `${trace}-t` })
    assert.ok(!translated.text.includes(VAULT_KEY), translated.text)
    const trow = await usageFor(gw, `${trace}-t`)
    assert.equal(trow.status, 502, 'an OpenAI in-band error on a translated stream is a failure')
    assert.ok(!String(trow.error).includes(VAULT_KEY))
  })

  test('2. bring-your-own keys (custom host Authorization, inline config api_key) are scrubbed from answers, streams and rows', async () => {
    const trace = randomUUID()
    const byo = { 'x-portkey-api-key': key, authorization: `Bearer ${BYO_KEY}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` }
    const whole = await post('/v1/chat/completions', { ...chat('echo-json'), stream: false, model: 'gpt-4o' }, { ...byo, 'x-portkey-trace-id': trace })
    assert.equal(whole.status, 200)
    assert.match(whole.text, /your key is \[redacted\]/)
    const streamed = await post('/v1/chat/completions', { ...chat('echo-stream'), model: 'gpt-4o' }, { ...byo, 'x-portkey-trace-id': `${trace}-s` })
    assert.ok(!streamed.text.includes(BYO_KEY))
    const config = JSON.stringify({ provider: 'openai', api_key: INLINE_KEY, custom_host: `${upstreamUrl}/v1` })
    const inline = await post('/v1/chat/completions', { ...chat('echo-stream'), model: 'gpt-4o' }, { 'x-portkey-config': config, 'x-portkey-trace-id': `${trace}-c` })
    assert.ok(!inline.text.includes(INLINE_KEY), inline.text)
    const rows = await gw.adminRaw('usage:query', {})
    const text = await rows.text()
    for (const k of [BYO_KEY, INLINE_KEY]) assert.ok(!text.includes(k), 'usage:query holds a bring-your-own key')
    for (const line of logs) for (const k of [VAULT_KEY, BYO_KEY, INLINE_KEY]) assert.ok(!line.includes(k), line)
  })
})

describe('budgets and usage', () => {
  test('4. a client that leaves a stream is charged what it was sent, and the row says so', async () => {
    const trace = randomUUID()
    const ctl = new AbortController()
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-portkey-trace-id': trace },
      body: JSON.stringify(chat('slow')),
      signal: ctl.signal,
    })
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    let got = ''
    while (got.split('word').length < 20) got += new TextDecoder().decode((await reader.read()).value)
    ctl.abort()
    const row = await usageFor(gw, trace)
    assert.equal(row.status, 499)
    assert.equal(row.usageSource, 'delivered')
    assert.ok((row.outputTokens ?? 0) >= 19, `output tokens ${row.outputTokens}`)
    assert.ok((row.inputTokens ?? 0) > 0)
    assert.ok((row.costMicros ?? 0) > 0, 'never zero')
  })

  test('6. a passthrough stream that ends without its terminator is recorded as a failure', async () => {
    const trace = randomUUID()
    const r = await post('/v1/chat/completions', chat('no-terminator'), { 'x-portkey-trace-id': trace })
    assert.equal(r.status, 200)
    const row = await usageFor(gw, trace)
    assert.equal(row.status, 502)
    assert.match(String(row.error), /terminator/)
    const ok = randomUUID()
    await post('/v1/chat/completions', chat('fine'), { 'x-portkey-trace-id': ok })
    assert.equal((await usageFor(gw, ok)).status, 200, 'a complete stream is still a success')
  })
})

describe('abuse of the listener', () => {
  test('7. every outgoing call carries a hop header; too many hops and the gateway itself as a custom host are refused', async () => {
    hops.length = 0
    await post('/v1/chat/completions', chat('fine'))
    assert.equal(hops.at(-1), '1')
    await post('/v1/chat/completions', chat('fine'), { 'x-switchyard-hops': '2' })
    assert.equal(hops.at(-1), '3')
    const deep = await post('/v1/chat/completions', chat('fine'), { 'x-switchyard-hops': '4' })
    assert.equal(deep.status, 508)
    const self = await post('/v1/chat/completions', { ...chat('fine'), model: 'gpt-4o' }, {
      'x-portkey-api-key': key,
      authorization: `Bearer ${BYO_KEY}`,
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${gw.url}/v1`,
      'x-portkey-forward-headers': 'x-portkey-api-key,x-portkey-provider,x-portkey-custom-host',
    })
    assert.equal(self.status, 508, self.text)
    assert.match(self.text, /this gateway itself/)
  })

  test('8. no body is read before the key is checked; slow bodies time out; bodies in flight are bounded', async () => {
    // A declared 30 MB body with a wrong key: refused from the headers, the body never sent.
    const unauth = await rawPost({ 'content-length': String(30 * 1024 * 1024), authorization: 'Bearer nope' }, null)
    assert.equal(unauth.status, 401)
    // One byte at a time, slower than the body deadline (1.5 s here).
    const slow = await rawPost({ 'transfer-encoding': 'chunked', authorization: `Bearer ${key}` }, async (req) => {
      for (let i = 0; i < 10 && !req.destroyed; i++) {
        req.write('{')
        await new Promise((r) => setTimeout(r, 300))
      }
    })
    assert.equal(slow.status, 408)
    // Bodies in flight may hold 256 KiB here: five declared 60 KiB bodies held open, the fifth is refused.
    const held = Array.from({ length: 5 }, () => rawHold(60 * 1024))
    const statuses = await Promise.all(held)
    assert.ok(statuses.includes(503), `statuses ${statuses.join(',')}`)
  })

  test('9. a chunked body over the limit gets 413, not a reset; 100,000-deep JSON gets 400, not 500', async () => {
    const big = await rawPost({ 'transfer-encoding': 'chunked', authorization: `Bearer ${key}` }, async (req) => {
      for (let i = 0; i < 8 && !req.destroyed; i++) req.write(Buffer.alloc(16 * 1024, 0x20))
    })
    assert.equal(big.status, 413)
    const deep = `{"model":"@up/gpt-4o","messages":[{"role":"user","content":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`
    const gwDeep = await startTestGateway()
    try {
      await gwDeep.admin('integrations:create', { slug: 'up', kind: 'openai', apiKey: VAULT_KEY, settings: { baseUrl: `${upstreamUrl}/v1` } })
      const k = await gwDeep.newKey()
      const res = await fetch(`${gwDeep.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' }, body: deep })
      assert.equal(res.status, 400, await res.text())
    } finally {
      await gwDeep.stop()
    }
  })

  test('10. GET /v1/models honours the key\'s scopes and providers', async () => {
    await gw.admin('integrations:create', { slug: 'other', kind: 'openai', apiKey: `${VAULT_KEY}-2`, settings: { baseUrl: `${upstreamUrl}/v1` } })
    const created = await gw.admin('keys:create', { name: 'limited' })
    const list = async (k: string) => fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${k}` } })
    const all = (await (await list(created.key)).json()) as { data: Array<{ owned_by: string }> }
    assert.ok(all.data.some((m) => m.owned_by === 'other'))
    await gw.admin('keys:update', { id: created.id, providerSlugs: ['up'] })
    const mine = (await (await list(created.key)).json()) as { data: Array<{ owned_by: string }> }
    assert.ok(mine.data.length > 0)
    assert.ok(mine.data.every((m) => m.owned_by === 'up'), JSON.stringify(mine.data.map((m) => m.owned_by)))
    await gw.admin('keys:update', { id: created.id, scopes: ['chat'] })
    assert.equal((await list(created.key)).status, 403)
  })
})

/** A POST with raw control over headers and body writes; resolves with the status the gateway answered. */
function rawPost(headers: Record<string, string>, write: ((req: ReturnType<typeof request>) => Promise<void>) | null): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${gw.url}/v1/chat/completions`)
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } })
    req.on('response', (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0 })
      req.destroy()
    })
    req.on('error', reject)
    if (write) void write(req).then(() => req.destroyed || req.end())
    else req.flushHeaders()
  })
}

/** Declares a body of `size` bytes, sends half, and waits: resolves with the status if one comes within 1 s, else 0. */
function rawHold(size: number): Promise<number> {
  return new Promise((resolve) => {
    const u = new URL(`${gw.url}/v1/chat/completions`)
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(size), authorization: `Bearer ${key}` } })
    const timer = setTimeout(() => {
      req.destroy()
      resolve(0)
    }, 1000)
    req.on('response', (res) => {
      clearTimeout(timer)
      res.resume()
      req.destroy()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', () => {
      clearTimeout(timer)
      resolve(-1)
    })
    req.write(Buffer.alloc(size / 2, 0x20))
  })
}
