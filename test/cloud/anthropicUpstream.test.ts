/**
 * The fake Anthropic API, driven by the real `@anthropic-ai/sdk` 1.12.0 (and raw fetch where the SDK
 * hides the wire): replies, streams with text / tool_use / thinking, count_tokens, the paged model
 * list, and the errors the SDK maps to its classes.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { clientFixtures } from '../support/clientFixtures.ts'
import { startAnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import type { AnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'

const KEY = 'sk-ant-test-0123456789'
let upstream: AnthropicUpstream
let client: Anthropic

before(async () => {
  upstream = await startAnthropicUpstream({ apiKey: KEY })
  client = new Anthropic({ baseURL: upstream.url, apiKey: KEY, maxRetries: 0 })
})
after(() => upstream.close())

const user = (text: string) => [{ role: 'user' as const, content: text }]

describe('messages', () => {
  test('a plain reply, with usage and the request id', async () => {
    const { data, response } = await client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 100, messages: user('hi there') }).withResponse()
    assert.deepEqual(data.content, [{ type: 'text', text: 'Hello from claude-sonnet-4-5-20250929: hi there' }])
    assert.equal(data.stop_reason, 'end_turn')
    assert.match(data.id, /^msg_01/)
    assert.equal(data.usage.input_tokens, 2 + 3)
    assert.equal(data.usage.output_tokens, 5)
    assert.match(response.headers.get('request-id') ?? '', /^req_011C/)
    const sent = upstream.requests.at(-1)
    assert.equal(sent?.headers['authorization'], `Bearer ${KEY}`)
    assert.ok(sent?.headers['anthropic-version'])
  })

  test('system prompt words count as input; max_tokens cuts the reply', async () => {
    const res = await client.messages.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 2, system: 'be brief', messages: user('one two three') })
    assert.equal(res.stop_reason, 'max_tokens')
    assert.deepEqual(res.content, [{ type: 'text', text: 'Hello from' }])
    assert.equal(res.usage.input_tokens, 2 + 3 + 3)
  })

  test('streaming: the SDK assembles the same message; events follow the documented order', async () => {
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 100, messages: user('hi there') })
    const types: string[] = []
    stream.on('streamEvent', (e) => types.push(e.type))
    const final = await stream.finalMessage()
    assert.equal(final.content[0]?.type === 'text' && final.content[0].text, 'Hello from claude-sonnet-4-5-20250929: hi there')
    assert.equal(final.usage.output_tokens, 5)
    assert.deepEqual(types.slice(0, 3), ['message_start', 'content_block_start', 'content_block_delta'])
    assert.deepEqual(types.slice(-4), ['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'])
  })

  test('the wire: `event:` lines name each data type; message_delta carries usage', async () => {
    const res = await fetch(`${upstream.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, stream: true, messages: user('yo') }),
    })
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
    const frames = (await res.text()).split('\n\n').filter(Boolean)
    for (const frame of frames) {
      const [event, data] = frame.split('\n')
      assert.equal(event?.slice('event: '.length), (JSON.parse(data?.slice('data: '.length) ?? '') as { type: string }).type)
    }
    assert.equal(frames[2], 'event: ping\ndata: {"type":"ping"}')
    const delta = frames.find((f) => f.startsWith('event: message_delta'))
    assert.match(delta ?? '', /"usage":\{"input_tokens":4,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4\}/)
  })

  test('tools: tool_use with streamed input_json_delta, then a text answer to the tool_result', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }]
    const stream = client.messages.stream({ model: 'claude-tools', max_tokens: 100, tools, messages: user('weather in Paris') })
    const partials: string[] = []
    stream.on('inputJson', (partial) => partials.push(partial))
    const final = await stream.finalMessage()
    const call = final.content[0]
    assert.equal(final.stop_reason, 'tool_use')
    assert.ok(call?.type === 'tool_use')
    assert.deepEqual(call.input, { input: 'weather in Paris' })
    assert.match(call.id, /^toolu_01/)
    assert.ok(partials.length > 1)
    const answer = await client.messages.create({
      model: 'claude-tools', max_tokens: 100, tools,
      messages: [...user('weather in Paris'), { role: 'assistant', content: final.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }] }],
    })
    assert.deepEqual(answer.content, [{ type: 'text', text: 'Hello from claude-tools: sunny' }])
  })

  test('tool_choice {type: tool} forces that tool on any model', async () => {
    const res = await client.messages.create({
      model: 'claude-haiku-4-5-20251001', max_tokens: 50, messages: user('x'), tool_choice: { type: 'tool', name: 'b' },
      tools: [{ name: 'a', input_schema: { type: 'object' } }, { name: 'b', input_schema: { type: 'object' } }],
    })
    assert.equal(res.content[0]?.type === 'tool_use' && res.content[0].name, 'b')
  })

  test('thinking: a signed thinking block first; sent back intact it passes, tampered it is refused', async () => {
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 200, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: user('hi') })
    const final = await stream.finalMessage()
    const [thinking, text] = final.content
    assert.ok(thinking?.type === 'thinking' && thinking.signature.length > 20 && thinking.thinking.includes('hi'))
    assert.ok(text?.type === 'text')
    const history = (block: Anthropic.ContentBlockParam) => [...user('hi'), { role: 'assistant' as const, content: [block] }, ...user('again')]
    const ok = await client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 200, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: history(thinking) })
    assert.equal(ok.content[0]?.type, 'thinking')
    await assert.rejects(
      client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 200, messages: history({ ...thinking, signature: 'forged' }) }),
      (e: unknown) => e instanceof Anthropic.BadRequestError && /messages\.1\.content\.0: Invalid `signature` in `thinking` block/.test(e.message),
    )
  })

  test('cache tokens: `cached` reads half the prompt, cache_control writes half', async () => {
    const read = await client.messages.create({ model: 'claude-cached', max_tokens: 50, messages: user('a b c d e') })
    assert.deepEqual([read.usage.input_tokens, read.usage.cache_read_input_tokens, read.usage.cache_creation_input_tokens], [4, 4, 0])
    const write = await client.messages.create({
      model: 'claude-sonnet-4-5-20250929', max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'a b c d e', cache_control: { type: 'ephemeral' } }] }],
    })
    assert.deepEqual([write.usage.input_tokens, write.usage.cache_read_input_tokens, write.usage.cache_creation_input_tokens], [4, 0, 4])
  })

  test('count_tokens agrees with the usage of the same request', async () => {
    const params = { model: 'claude-sonnet-4-5-20250929', system: 'sys words here', messages: user('count these four words') }
    const counted = await client.messages.countTokens(params)
    const res = await client.messages.create({ ...params, max_tokens: 100 })
    assert.equal(counted.input_tokens, res.usage.input_tokens)
  })
})

describe('real client requests (test/fixtures/clients)', () => {
  const captured = join(clientFixtures, 'claude-code-api-key/002-POST_v1_messages.json')
  test('Claude Code 2.1.330 `claude -p "hi"` is answered as a stream', async () => {
    const fixture = JSON.parse(readFileSync(captured, 'utf8')) as {
      path: string; query: Record<string, string>; headers: Record<string, string>; body: { model: string }
    }
    const cc = await startAnthropicUpstream({ apiKey: 'x', models: [fixture.body.model] })
    try {
      const skip = new Set(['host', 'content-length', 'connection', 'accept-encoding'])
      const headers = Object.fromEntries(Object.entries(fixture.headers).filter(([k]) => !skip.has(k)))
      const res = await fetch(`${cc.url}${fixture.path}?${new URLSearchParams(fixture.query).toString()}`, { method: 'POST', headers, body: JSON.stringify(fixture.body) })
      assert.equal(res.status, 200)
      const events = (await res.text()).split('\n\n').filter(Boolean).map((f) => JSON.parse(f.split('\n')[1]?.slice(6) ?? '') as { type: string; content_block?: { type: string; thinking?: string } })
      assert.equal(events.at(-1)?.type, 'message_stop')
      // thinking {type: adaptive, display: omitted}: a thinking block with its signature but no text.
      assert.deepEqual(events.find((e) => e.type === 'content_block_start')?.content_block, { type: 'thinking', thinking: '', signature: '' })
      assert.ok(!events.some((e) => e.type === 'content_block_delta' && (e as { delta?: { type: string } }).delta?.type === 'thinking_delta'))
    } finally {
      await cc.close()
    }
  })
})

describe('errors', () => {
  const cases: Array<[string, string, number, string, (e: unknown) => boolean]> = [
    ['429 with retry-after', 'claude-error-429', 429, 'rate_limit_error', (e) => e instanceof Anthropic.RateLimitError && e.headers.get('retry-after') === '1'],
    ['529 overloaded', 'claude-error-529', 529, 'overloaded_error', (e) => e instanceof Anthropic.APIError],
    ['500 api_error', 'claude-error-500', 500, 'api_error', (e) => e instanceof Anthropic.InternalServerError],
    ['400 invalid_request_error', 'claude-error-400', 400, 'invalid_request_error', (e) => e instanceof Anthropic.BadRequestError],
    ['404 unknown model', 'claude-nope', 404, 'not_found_error', (e) => e instanceof Anthropic.NotFoundError],
  ]
  for (const [name, model, status, type, is] of cases) {
    test(name, async () => {
      await assert.rejects(client.messages.create({ model, max_tokens: 10, messages: user('x') }), (e: unknown) => {
        assert.ok(is(e), String(e))
        const err = e as InstanceType<typeof Anthropic.APIError>
        assert.equal(err.status, status)
        assert.deepEqual((err.error as { error: { type: string } }).error.type, type)
        assert.match(err.requestID ?? '', /^req_/)
        return true
      })
    })
  }

  test('a wrong key is 401 authentication_error', async () => {
    const bad = new Anthropic({ baseURL: upstream.url, apiKey: 'wrong', maxRetries: 0 })
    await assert.rejects(bad.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: user('x') }), Anthropic.AuthenticationError)
  })

  test('raw wire: missing anthropic-version, missing key, wrong x-api-key', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${upstream.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then(async (r) => [r.status, await r.json()] as const)
    const [status0, body0] = await post({ 'x-api-key': KEY })
    assert.equal(status0, 400)
    assert.deepEqual((body0 as { error: unknown }).error, { type: 'invalid_request_error', message: 'anthropic-version: header is required' })
    assert.match((body0 as { request_id: string }).request_id, /^req_011C/)
    const [status, body] = await post({ 'anthropic-version': '2023-06-01' })
    assert.equal(status, 401)
    assert.equal((body as { error: { message: string } }).error.message, 'x-api-key header is required')
    const [status2, body2] = await post({ 'anthropic-version': '2023-06-01', 'x-api-key': 'nope' })
    assert.equal(status2, 401)
    assert.equal((body2 as { error: { message: string } }).error.message, 'invalid x-api-key')
  })

  test('stream-error: an error event mid-stream makes the SDK throw overloaded_error', async () => {
    const stream = client.messages.stream({ model: 'claude-stream-error', max_tokens: 50, messages: user('x') })
    await assert.rejects(stream.finalMessage(), (e: unknown) => e instanceof Anthropic.APIError && /overloaded_error/.test(e.message))
  })

  test('stream-drop: a cut connection fails the stream', async () => {
    const stream = client.messages.stream({ model: 'claude-stream-drop', max_tokens: 50, messages: user('x') })
    await assert.rejects(stream.finalMessage())
  })

  test('setBehaviour forces a behaviour on any model', async () => {
    upstream.setBehaviour('error-529')
    try {
      await assert.rejects(client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: user('x') }), (e: unknown) => e instanceof Anthropic.APIError && e.status === 529)
    } finally {
      upstream.setBehaviour(undefined)
    }
  })
})

describe('models', () => {
  test('the SDK pages through the list with after_id', async () => {
    const small = await startAnthropicUpstream({ models: ['claude-a-20250101', 'claude-b-20250102', 'claude-c-20250103'] })
    try {
      const sdk = new Anthropic({ baseURL: small.url, apiKey: 'any', maxRetries: 0 })
      const ids: string[] = []
      for await (const m of sdk.models.list({ limit: 2 })) ids.push(m.id)
      assert.deepEqual(ids, ['claude-a-20250101', 'claude-b-20250102', 'claude-c-20250103'])
      assert.ok(small.requests.some((r) => r.path.includes('after_id=claude-b-20250102')))
      const page = await sdk.models.list({ limit: 2 })
      assert.deepEqual([page.first_id, page.last_id, page.has_more], ['claude-a-20250101', 'claude-b-20250102', true])
    } finally {
      await small.close()
    }
  })

  test('retrieve: type, display_name, created_at', async () => {
    const info = await client.models.retrieve('claude-sonnet-4-5-20250929')
    assert.deepEqual({ ...info }, { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' })
  })
})
