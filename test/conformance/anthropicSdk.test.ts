/**
 * The real `@anthropic-ai/sdk` on every Anthropic-flavoured endpoint of the gateway: messages (streamed
 * and not, tools and tool results), count_tokens, the model list, and errors, each via passthrough to
 * Anthropic and translated to an OpenAI chat upstream. Asserted on what a user of the SDK sees: the
 * message, its content blocks and usage, the SDK's own error classes, and the usage row left behind.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { anthropicVersion } from '../../main/providers/anthropic.ts'
import { ANTHROPIC_KEY, OPENAI_KEY, rowsFor, startMatrix, type Matrix } from './matrix.ts'

let m: Matrix
let client: Anthropic

before(async () => {
  m = await startMatrix()
  client = new Anthropic({ baseURL: m.gw.url, apiKey: m.key, maxRetries: 0 })
})

after(async () => {
  await m?.stop()
})

const traced = () => {
  const traceId = randomUUID()
  return { traceId, options: { headers: { 'x-portkey-trace-id': traceId } } }
}

const weather: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

const textOf = (msg: Anthropic.Message) => msg.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('')

type APIError = InstanceType<typeof Anthropic.APIError>

async function rejection(p: Promise<unknown>): Promise<APIError> {
  const err = await p.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof Anthropic.APIError, `an Anthropic APIError, got ${String(err)}`)
  return err
}

/** The body of an Anthropic SDK error, as the SDK parsed it: `{type: "error", error: {type, message}}`. */
const errorBody = (e: APIError) => e.error as { type: string; error: { type: string; message: string } }

for (const path of [
  { name: 'passthrough to Anthropic', model: '@anthropic/claude-sonnet-4-5-20250929', served: 'claude-sonnet-4-5-20250929', slug: 'anthropic', tools: '@anthropic/claude-tools' },
  { name: 'translated to an OpenAI-compatible chat upstream (Ollama)', model: '@ollama/llama3.2', served: 'llama3.2', slug: 'ollama', tools: '@ollama/tools-model' },
  { name: 'translated to OpenAI chat completions', model: '@openai/gpt-4o', served: 'gpt-4o', slug: 'openai', tools: '@openai/tools-model' },
]) {
  describe(`@anthropic-ai/sdk messages, ${path.name}`, () => {
    test('messages.create: the answer, stop reason and usage; one usage row with the same tokens', async () => {
      const { traceId, options } = traced()
      const msg = await client.messages.create(
        { model: path.model, max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: 'hello there' }] },
        options,
      )
      assert.equal(msg.type, 'message')
      assert.equal(msg.role, 'assistant')
      assert.equal(textOf(msg), `Hello from ${path.served}: hello there`)
      assert.equal(msg.stop_reason, 'end_turn')
      assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0)
      const [row] = await rowsFor(m.gw, traceId)
      assert.equal(row?.providerSlug, path.slug)
      assert.equal(row?.model, path.served)
      assert.equal(row?.endpoint, '/v1/messages')
      assert.equal(row?.status, 200)
      assert.equal(row?.stream, false)
      assert.equal(row?.inputTokens, msg.usage.input_tokens + (msg.usage.cache_read_input_tokens ?? 0) + (msg.usage.cache_creation_input_tokens ?? 0))
      assert.equal(row?.outputTokens, msg.usage.output_tokens)
    })

    test('messages.stream: text deltas as they come, the final message, usage row', async () => {
      const { traceId, options } = traced()
      const stream = client.messages.stream({ model: path.model, max_tokens: 256, messages: [{ role: 'user', content: 'count to three' }] }, options)
      let deltas = ''
      stream.on('text', (t) => (deltas += t))
      const msg = await stream.finalMessage()
      assert.equal(deltas, `Hello from ${path.served}: count to three`)
      assert.equal(textOf(msg), deltas)
      assert.equal(msg.stop_reason, 'end_turn')
      assert.ok(msg.usage.output_tokens > 0)
      const [row] = await rowsFor(m.gw, traceId)
      assert.equal(row?.providerSlug, path.slug)
      assert.equal(row?.stream, true)
      assert.equal(row?.status, 200)
      assert.equal(row?.outputTokens, msg.usage.output_tokens)
      // What Claude Code shows as context use: the input the stream reported equals what the gateway recorded.
      assert.equal(row?.inputTokens, msg.usage.input_tokens + (msg.usage.cache_read_input_tokens ?? 0) + (msg.usage.cache_creation_input_tokens ?? 0))
      assert.ok((row?.inputTokens ?? 0) > 0)
    })

    test('max_tokens cuts the answer: stop_reason max_tokens (streamed and not)', async () => {
      const params = { model: path.model, max_tokens: 3, messages: [{ role: 'user' as const, content: 'one two three four five' }] }
      const msg = await client.messages.create(params)
      assert.equal(msg.stop_reason, 'max_tokens')
      assert.equal(msg.usage.output_tokens, 3)
      const streamed = await client.messages.stream(params).finalMessage()
      assert.equal(streamed.stop_reason, 'max_tokens')
      assert.equal(textOf(streamed), textOf(msg))
    })

    test('tools: a tool_use block with parsed input, then the tool_result answered (streamed and not)', async () => {
      const ask: Anthropic.MessageParam = { role: 'user', content: 'weather in Paris' }
      const first = await client.messages.create({ model: path.tools, max_tokens: 256, tools: [weather], messages: [ask] })
      assert.equal(first.stop_reason, 'tool_use')
      const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
      assert.ok(use, JSON.stringify(first.content))
      assert.equal(use.name, 'get_weather')
      assert.deepEqual(use.input, { input: 'weather in Paris' })
      assert.ok(use.id)

      const streamed = await client.messages.stream({ model: path.tools, max_tokens: 256, tools: [weather], messages: [ask] }).finalMessage()
      const streamedUse = streamed.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
      assert.equal(streamed.stop_reason, 'tool_use')
      assert.deepEqual(streamedUse?.input, { input: 'weather in Paris' })

      const answer = await client.messages.create({
        model: path.tools,
        max_tokens: 256,
        tools: [weather],
        messages: [ask, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 21 C' }] }],
      })
      assert.equal(answer.stop_reason, 'end_turn')
      // The Anthropic fake echoes the last user turn (the tool result); the chat fake reports the tool message.
      assert.match(textOf(answer), /sunny, 21 C$/)
    })
  })
}

describe('@anthropic-ai/sdk, Anthropic specifics', () => {
  test('beta.messages: anthropic-beta and anthropic-version reach Anthropic as the SDK sent them; the vault key replaces the Switchyard key', async () => {
    const sent: { url: string; headers: Headers }[] = []
    const recording = new Anthropic({
      baseURL: m.gw.url,
      apiKey: m.key,
      maxRetries: 0,
      fetch: (url, init) => {
        sent.push({ url: String(url), headers: new Headers(init?.headers) })
        return fetch(url, init)
      },
    })
    const before = m.anthropic.requests.length
    const msg = await recording.beta.messages.create({
      model: '@anthropic/claude-sonnet-4-5-20250929',
      max_tokens: 64,
      betas: ['interleaved-thinking-2025-05-14', 'context-management-2025-06-27'],
      messages: [{ role: 'user', content: 'beta hi' }],
    })
    assert.equal(msg.content[0]?.type === 'text' && msg.content[0].text, 'Hello from claude-sonnet-4-5-20250929: beta hi')
    const version = sent[0]?.headers.get('anthropic-version')
    assert.ok(version && version !== anthropicVersion, `the SDK's own version (${version}), not the gateway's default`)
    const got = m.anthropic.requests.slice(before)
    assert.equal(got.length, 1)
    assert.equal(got[0]?.headers['anthropic-beta'], sent[0]?.headers.get('anthropic-beta'))
    assert.equal(got[0]?.headers['anthropic-beta'], 'interleaved-thinking-2025-05-14,context-management-2025-06-27')
    assert.equal(got[0]?.headers['anthropic-version'], version)
    assert.equal(got[0]?.headers['x-api-key'], ANTHROPIC_KEY)
    assert.ok(!JSON.stringify(got[0]?.headers).includes(m.key))
  })

  test('unknown body fields pass through to Anthropic untouched', async () => {
    const before = m.anthropic.requests.length
    await client.messages.create({
      model: '@anthropic/claude-sonnet-4-5-20250929',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'x' }],
      // @ts-expect-error: a field this SDK version does not know yet
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    })
    const body = m.anthropic.requests.slice(before)[0]?.body as Record<string, unknown>
    assert.deepEqual(body.context_management, { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] })
  })

  test('cache reads from a chat upstream arrive as cache_read_input_tokens, not double-counted as input', async () => {
    const { traceId, options } = traced()
    const msg = await client.messages.create(
      { model: '@ollama/cached-model', max_tokens: 64, messages: [{ role: 'user', content: 'one two three four five six seven eight' }] },
      options,
    )
    // The chat fake: prompt_tokens 8 words + 3 = 11, half (5) cached. Anthropic counts input without cache reads.
    assert.equal(msg.usage.cache_read_input_tokens, 5)
    assert.equal(msg.usage.input_tokens, 6)
    const [row] = await rowsFor(m.gw, traceId)
    assert.equal(row?.inputTokens, 11)
    assert.equal(row?.cachedTokens, 5)
  })

  test('count_tokens via passthrough: Anthropic counts', async () => {
    const before = m.anthropic.requests.length
    const res = await client.messages.countTokens({ model: '@anthropic/claude-sonnet-4-5-20250929', messages: [{ role: 'user', content: 'one two three four' }] })
    // The fake's count: 4 words + 3 per message.
    assert.equal(res.input_tokens, 7)
    assert.equal((res as unknown as { estimated?: boolean }).estimated, undefined)
    assert.equal(m.anthropic.requests.slice(before)[0]?.path, '/v1/messages/count_tokens')
  })

  test('count_tokens for a chat upstream: a local tokenizer estimate, labelled, nothing sent upstream', async () => {
    const before = m.chat.requests.length
    const { data, response } = await client.messages
      .countTokens({ model: '@ollama/llama3.2', system: 'You are terse.', messages: [{ role: 'user', content: 'How many tokens is this sentence?' }] })
      .withResponse()
    assert.ok(data.input_tokens > 5 && data.input_tokens < 100, String(data.input_tokens))
    assert.equal((data as unknown as { estimated?: boolean }).estimated, true)
    assert.equal(response.headers.get('x-switchyard-token-count'), 'estimate')
    assert.equal(m.chat.requests.length, before)
  })

  test("models.list: Anthropic's list shape with @slug/model ids, paged by the SDK", async () => {
    const ids: string[] = []
    for await (const model of client.models.list()) {
      assert.equal(model.type, 'model')
      assert.ok(model.display_name)
      assert.ok(!Number.isNaN(Date.parse(model.created_at)))
      ids.push(model.id)
    }
    assert.ok(ids.includes('@anthropic/claude-sonnet-4-5'), ids.join(', '))
    assert.ok(ids.every((id) => id.startsWith('@')))
  })
})

describe('@anthropic-ai/sdk errors, in Anthropic format whatever the upstream', () => {
  test("chat upstream answers 429: the SDK's RateLimitError with Anthropic's error type and Retry-After; usage row 429", async () => {
    const { traceId, options } = traced()
    const err = await rejection(client.messages.create({ model: '@ollama/error-429', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }, options))
    assert.ok(err instanceof Anthropic.RateLimitError)
    assert.equal(err.status, 429)
    assert.equal(errorBody(err).type, 'error')
    assert.equal(errorBody(err).error.type, 'rate_limit_error')
    assert.match(errorBody(err).error.message, /Rate limit reached/)
    assert.equal(err.headers?.get('retry-after'), '1')
    const [row] = await rowsFor(m.gw, traceId)
    assert.equal(row?.status, 429)
    assert.ok(row?.error)
  })

  test('Anthropic answers 529 overloaded: overloaded_error reaches the SDK as sent', async () => {
    const err = await rejection(client.messages.create({ model: '@anthropic/claude-error-529', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }))
    assert.equal(err.status, 529)
    assert.equal(errorBody(err).error.type, 'overloaded_error')
  })

  test('gateway errors are Anthropic-shaped too: unknown provider (404), bad key (401)', async () => {
    const notFound = await rejection(client.messages.create({ model: '@nope/claude', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }))
    assert.ok(notFound instanceof Anthropic.NotFoundError)
    assert.equal(errorBody(notFound).error.type, 'not_found_error')
    const bad = new Anthropic({ baseURL: m.gw.url, apiKey: 'sy-not-a-key', maxRetries: 0 })
    const denied = await rejection(bad.messages.create({ model: '@anthropic/claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }))
    assert.ok(denied instanceof Anthropic.AuthenticationError)
    assert.equal(errorBody(denied).error.type, 'authentication_error')
  })

  for (const [what, model] of [
    ['Anthropic sends an error event mid-stream', '@anthropic/claude-stream-error'],
    ['Anthropic drops the connection mid-stream', '@anthropic/claude-stream-drop'],
    ['the chat upstream drops the connection mid-stream (translated)', '@ollama/stream-drop'],
  ] as const) {
    test(`${what}: the SDK stream fails with an error, after the text that came first; usage row marks the failure`, async () => {
      const { traceId, options } = traced()
      const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'a long answer please' }] }, options)
      let text = ''
      stream.on('text', (t) => (text += t))
      const err = await stream.finalMessage().then(
        () => assert.fail('expected the stream to fail'),
        (e: unknown) => e,
      )
      assert.ok(err instanceof Error, String(err))
      assert.ok(text.startsWith('Hello'), `text before the failure: ${JSON.stringify(text)}`)
      const [row] = await rowsFor(m.gw, traceId)
      assert.ok(row && row.status >= 500, JSON.stringify(row))
      assert.ok(row.error)
    })
  }
})

test('the OpenAI key never reaches the Anthropic upstream and vice versa', () => {
  assert.ok(m.anthropic.requests.every((r) => !JSON.stringify(r.headers).includes(OPENAI_KEY)))
  assert.ok(m.openai.requests.every((r) => !JSON.stringify(r.headers).includes(ANTHROPIC_KEY)))
})
