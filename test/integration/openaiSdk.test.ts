/**
 * The gateway through real HTTP with the real `openai` SDK, against a local upstream that speaks
 * OpenAI's wire format: every endpoint, streaming and not, every way to name a provider, the errors
 * a client must be able to act on, and the usage row each request leaves.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

const UPSTREAM_KEY = 'sk-upstream-test-0123456789abcdef'

let gw: TestGateway
let upstream: Upstream
let local: Upstream
let key: string
let client: OpenAI

const traced = () => {
  const traceId = randomUUID()
  return { traceId, options: { headers: { 'x-portkey-trace-id': traceId } } }
}

before(async () => {
  upstream = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
  local = await startOpenAIUpstream({ models: ['llama3.2', 'qwen3'], usageInStream: 'never' })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url } })
  await gw.admin('integrations:create', { slug: 'ollama', kind: 'ollama', settings: { baseUrl: local.url } })
  key = await gw.newKey()
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
})

after(async () => {
  await gw.stop()
  await upstream.close()
  await local.close()
})

const lastUpstream = (u: Upstream = upstream) => {
  const r = u.requests.at(-1)
  assert.ok(r, 'upstream received a request')
  return r
}

describe('chat completions', () => {
  test('@slug/model: answer, upstream auth, model rewritten, usage row with cost', async () => {
    const { traceId, options } = traced()
    const res = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'hi there' }] }, options)
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: hi there')
    const sent = lastUpstream()
    assert.equal(sent.headers.authorization, `Bearer ${UPSTREAM_KEY}`)
    assert.equal((sent.body as { model: string }).model, 'gpt-4o')
    const row = await usageFor(gw, traceId)
    assert.equal(row.providerSlug, 'openai')
    assert.equal(row.model, 'gpt-4o')
    assert.equal(row.status, 200)
    assert.equal(row.inputTokens, res.usage?.prompt_tokens)
    assert.equal(row.outputTokens, res.usage?.completion_tokens)
    // gpt-4o: $2.50 / 1M input, $10 / 1M output
    const expected = Math.round(((res.usage?.prompt_tokens ?? 0) * 2_500_000 + (res.usage?.completion_tokens ?? 0) * 10_000_000) / 1e6)
    assert.equal(row.costMicros, expected)
    assert.equal(row.endpoint, '/v1/chat/completions')
    assert.equal(row.stream, false)
    assert.ok(row.latencyMs >= 0 && row.ttfbMs !== null)
  })

  test('cached tokens are recorded and billed at the cached rate', async () => {
    const { traceId, options } = traced()
    const res = await client.chat.completions.create({ model: '@openai/gpt-4o', user: 'u1', messages: [{ role: 'user', content: 'one two three four five six' }] }, options)
    const cached = res.usage?.prompt_tokens_details?.cached_tokens ?? 0
    assert.ok(cached > 0)
    const row = await usageFor(gw, traceId)
    assert.equal(row.cachedTokens, cached)
    const input = res.usage?.prompt_tokens ?? 0
    const output = res.usage?.completion_tokens ?? 0
    assert.equal(row.costMicros, Math.round(((input - cached) * 2_500_000 + cached * 1_250_000 + output * 10_000_000) / 1e6))
  })

  test('stream without include_usage: client sees the stream it asked for, usage still recorded', async () => {
    const { traceId, options } = traced()
    const stream = await client.chat.completions.create({ model: '@openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'count to three' }] }, options)
    let text = ''
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const chunk of stream) {
      chunks.push(chunk)
      text += chunk.choices[0]?.delta.content ?? ''
    }
    assert.equal(text, 'Hello from gpt-4o: count to three')
    assert.ok(chunks.every((c) => !('usage' in c)), 'no usage field leaks to a client that did not ask')
    assert.ok(chunks.every((c) => c.choices.length > 0), 'no usage-only chunk')
    assert.deepEqual((lastUpstream().body as { stream_options: unknown }).stream_options, { include_usage: true })
    const row = await usageFor(gw, traceId)
    assert.equal(row.stream, true)
    assert.ok((row.inputTokens ?? 0) > 0 && (row.outputTokens ?? 0) > 0)
  })

  test('stream with include_usage: client gets the usage chunk unchanged', async () => {
    const { traceId, options } = traced()
    const stream = await client.chat.completions.create(
      { model: '@openai/gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hello' }] },
      options,
    )
    let usage: OpenAI.CompletionUsage | null | undefined
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage
    assert.ok(usage && usage.total_tokens > 0)
    const row = await usageFor(gw, traceId)
    assert.equal(row.inputTokens, usage.prompt_tokens)
    assert.equal(row.outputTokens, usage.completion_tokens)
  })

  test('streamed tool calls arrive intact', async () => {
    const stream = await client.chat.completions.create({
      model: '@openai/tools',
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
      messages: [{ role: 'user', content: 'weather in Paris' }],
    })
    let args = ''
    let finish: string | null = null
    for await (const chunk of stream) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
    }
    assert.deepEqual(JSON.parse(args), { input: 'weather in Paris' })
    assert.equal(finish, 'tool_calls')
  })

  test('unknown request fields pass through untouched (top_k, chat_template_kwargs)', async () => {
    await client.chat.completions.create({
      model: '@ollama/qwen3',
      messages: [{ role: 'user', content: 'hi' }],
      // @ts-expect-error: fields the OpenAI SDK does not know, used by self-hosted servers
      top_k: 20,
      chat_template_kwargs: { enable_thinking: false },
    })
    const body = lastUpstream(local).body as Record<string, unknown>
    assert.equal(body.top_k, 20)
    assert.deepEqual(body.chat_template_kwargs, { enable_thinking: false })
    assert.equal(body.model, 'qwen3')
  })

  test('self-hosted stream without usage: answer intact, tokens unknown, cost 0', async () => {
    const { traceId, options } = traced()
    const stream = await client.chat.completions.create({ model: '@ollama/llama3.2', stream: true, messages: [{ role: 'user', content: 'hi' }] }, options)
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    assert.equal(text, 'Hello from llama3.2: hi')
    const row = await usageFor(gw, traceId)
    assert.equal(row.inputTokens, null)
    assert.equal(row.costMicros, 0)
  })
})

describe('model resolution', () => {
  test('x-portkey-provider: @slug with a bare model', async () => {
    const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: { 'x-portkey-provider': '@openai' } })
    const res = await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o-mini: a')
  })

  test('legacy x-portkey-virtual-key names the provider', async () => {
    const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: { 'x-portkey-virtual-key': 'openai' } })
    const res = await c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'b' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: b')
  })

  test('a bare model served by exactly one provider needs no provider', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'c' }] }).catch((e: unknown) => e)
    // gpt-4.1-nano is in OpenAI's known list but not served by the test upstream: the upstream's 404 comes back.
    assert.ok(res instanceof OpenAI.NotFoundError)
    assert.equal(lastUpstream().headers.authorization, `Bearer ${UPSTREAM_KEY}`)
  })

  test('custom host with the client\'s own provider key and forwarded headers', async () => {
    const selfHosted = await startOpenAIUpstream({ apiKey: 'sk-their-own', models: ['mistral-7b'] })
    try {
      const c = new OpenAI({
        baseURL: `${gw.url}/v1`,
        apiKey: 'sk-their-own',
        maxRetries: 0,
        defaultHeaders: {
          'x-portkey-api-key': key,
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': selfHosted.url,
          'x-portkey-forward-headers': 'x-team, x-api-key',
          'x-team': 'ml',
        },
      })
      const res = await c.chat.completions.create({ model: 'mistral-7b', messages: [{ role: 'user', content: 'd' }] })
      assert.equal(res.choices[0]?.message.content, 'Hello from mistral-7b: d')
      const sent = lastUpstream(selfHosted)
      assert.equal(sent.headers.authorization, 'Bearer sk-their-own')
      assert.equal(sent.headers['x-team'], 'ml')
      assert.equal(sent.headers['x-portkey-api-key'], undefined, 'the Switchyard key never goes upstream')
    } finally {
      await selfHosted.close()
    }
  })
})

describe('other endpoints', () => {
  test('legacy completions, streaming and not', async () => {
    const res = await client.completions.create({ model: '@openai/gpt-3.5-turbo-instruct', prompt: 'say this' })
    assert.equal(res.choices[0]?.text, 'Hello from gpt-3.5-turbo-instruct: say this')
    const stream = await client.completions.create({ model: '@openai/gpt-3.5-turbo-instruct', prompt: 'again', stream: true })
    let text = ''
    for await (const c of stream) text += c.choices[0]?.text ?? ''
    assert.equal(text, 'Hello from gpt-3.5-turbo-instruct: again')
  })

  test('embeddings, base64 (the SDK default) and float, with usage', async () => {
    const { traceId, options } = traced()
    const b64 = await client.embeddings.create({ model: '@openai/text-embedding-3-small', input: 'hello world' }, options)
    const floats = await client.embeddings.create({ model: '@openai/text-embedding-3-small', input: 'hello world', encoding_format: 'float' })
    assert.equal(b64.data[0]?.embedding.length, 16)
    assert.deepEqual(b64.data[0]?.embedding, floats.data[0]?.embedding)
    const row = await usageFor(gw, traceId)
    assert.equal(row.inputTokens, b64.usage.prompt_tokens)
    assert.equal(row.endpoint, '/v1/embeddings')
  })

  test('GET /v1/models lists what the workspace may use, as @slug/model', async () => {
    const ids: string[] = []
    for await (const m of client.models.list()) ids.push(m.id)
    assert.ok(ids.includes('@openai/gpt-4o'))
    await gw.admin('models:refresh', { providerSlug: 'ollama' })
    const after: string[] = []
    for await (const m of client.models.list()) after.push(m.id)
    assert.ok(after.includes('@ollama/llama3.2') && after.includes('@ollama/qwen3'), 'discovered models appear')
  })

  test('health answers without a key', async () => {
    const res = await fetch(`${gw.url}/health`)
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as { status: string }).status, 'ok')
  })
})

describe('errors a program can act on', () => {
  test('no key and a wrong key: 401 in OpenAI format', async () => {
    const bad = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'sy-wrong', maxRetries: 0 })
    const err = await bad.chat.completions.create({ model: '@openai/gpt-4o', messages: [] }).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.AuthenticationError)
    assert.equal(err.code, 'invalid_api_key')
    const none = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{"model":"x","messages":[]}' })
    assert.equal(none.status, 401)
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'missing_api_key')
  })

  test('a revoked key stops working at once', async () => {
    const k = await gw.admin('keys:create', { name: 'short-lived' })
    const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: k.key, maxRetries: 0 })
    await c.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] })
    await gw.admin('keys:revoke', { id: k.id })
    const err = await c.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.AuthenticationError)
  })

  test('unknown provider, missing model, bad JSON, bad metadata: 4xx with codes', async () => {
    const unknown = await client.chat.completions.create({ model: '@nope/gpt-4o', messages: [] }).catch((e: unknown) => e)
    assert.ok(unknown instanceof OpenAI.NotFoundError)
    assert.equal(unknown.code, 'provider_not_found')
    assert.match(unknown.message, /@nope/)
    const unserved = await client.chat.completions.create({ model: 'no-such-model', messages: [] }).catch((e: unknown) => e)
    assert.ok(unserved instanceof OpenAI.NotFoundError)
    assert.equal(unserved.code, 'model_not_found')
    const raw = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: '{"model": ' })
    assert.equal(raw.status, 400)
    assert.equal(((await raw.json()) as { error: { code: string } }).error.code, 'invalid_json')
    const meta = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'x-portkey-metadata': 'not json' },
      body: JSON.stringify({ model: '@openai/gpt-4o', messages: [] }),
    })
    assert.equal(meta.status, 400)
  })

  test('upstream unreachable: 502 naming the provider, never its key', async () => {
    await gw.admin('integrations:create', { slug: 'dead', kind: 'openai', apiKey: 'sk-dead-secret-key-123456', settings: { baseUrl: 'http://127.0.0.1:9/v1' } })
    const err = await client.chat.completions.create({ model: '@dead/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.APIError)
    assert.equal(err.status, 502)
    assert.equal(err.code, 'provider_unreachable')
    assert.match(err.message, /@dead/)
    assert.doesNotMatch(err.message, /sk-dead-secret/)
  })

  test('an upstream that answers with something other than HTTP: 502 saying so, naming the provider, never its key', async () => {
    const liar = createServer((socket) => socket.on('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')))
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r))
    try {
      const port = (liar.address() as AddressInfo).port
      await gw.admin('integrations:create', { slug: 'liar', kind: 'openai', apiKey: 'sk-liar-secret-key-123456', settings: { baseUrl: `http://127.0.0.1:${port}/v1` } })
      const err = await client.chat.completions.create({ model: '@liar/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
      assert.ok(err instanceof OpenAI.APIError)
      assert.equal(err.status, 502)
      assert.match(err.message, new RegExp(`@liar at http://127\\.0\\.0\\.1:${port} sent a malformed answer: an invalid status line 'SSH-2\\.0-OpenSSH_9\\.6'`))
      assert.doesNotMatch(err.message, /sk-liar-secret/)
    } finally {
      liar.close()
    }
  })

  test('upstream errors pass through with their status, code and Retry-After', async () => {
    const limited = await client.chat.completions.create({ model: '@openai/error-429', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(limited instanceof OpenAI.RateLimitError)
    assert.equal(limited.code, 'rate_limit_exceeded')
    assert.equal(limited.headers?.get('retry-after'), '1')
    const invalid = await client.chat.completions.create({ model: '@openai/error-400', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(invalid instanceof OpenAI.BadRequestError)
    assert.equal(invalid.param, 'temperature')
  })

  test('a stream the upstream cuts mid-way ends in an error the client sees, and is recorded', async () => {
    const { traceId, options } = traced()
    const stream = await client.chat.completions.create({ model: '@openai/stream-drop', stream: true, messages: [{ role: 'user', content: 'one two three four' }] }, options)
    const err = await (async () => {
      for await (const _ of stream) {
        // drain
      }
    })().catch((e: unknown) => e)
    assert.ok(err instanceof Error, 'iteration fails')
    const row = await usageFor(gw, traceId)
    assert.equal(row.status, 502)
    assert.ok(row.error)
  })
})

describe('recorded with each request', () => {
  test('metadata and trace id', async () => {
    const traceId = randomUUID()
    await client.chat.completions.create(
      { model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] },
      { headers: { 'x-portkey-trace-id': traceId, 'x-portkey-metadata': JSON.stringify({ _user: 'alice', ticket: 42 }) } },
    )
    const row = await usageFor(gw, traceId)
    assert.deepEqual(row.metadata, { _user: 'alice', ticket: '42' })
    assert.equal(row.traceId, traceId)
  })

  test('the response carries the trace id and the provider that served it', async () => {
    const { data, response } = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).withResponse()
    assert.ok(data.id)
    assert.equal(response.headers.get('x-portkey-provider'), '@openai')
    assert.ok(response.headers.get('x-portkey-trace-id'))
  })
})
