/**
 * The real `openai` SDK on the gateway's OpenAI-flavoured endpoints: `responses.create` (streamed and
 * not, tools) via Responses passthrough and translated to chat completions and to Anthropic; chat
 * completions passthrough and translated to Anthropic (streamed and not, tools, thinking, cache usage);
 * errors in OpenAI's format whatever the upstream. Asserted on what a user of the SDK sees and on the
 * usage row each call leaves.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { rowsFor, startMatrix, type Matrix } from './matrix.ts'

let m: Matrix
let client: OpenAI

before(async () => {
  m = await startMatrix()
  client = new OpenAI({ baseURL: `${m.gw.url}/v1`, apiKey: m.key, maxRetries: 0 })
})

after(async () => {
  await m?.stop()
})

const traced = () => {
  const traceId = randomUUID()
  return { traceId, options: { headers: { 'x-portkey-trace-id': traceId } } }
}

async function rejection(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await p.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof OpenAI.APIError, `an OpenAI APIError, got ${String(err)}`)
  return err
}

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: false,
}

const chatWeather: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}

for (const path of [
  { name: 'Responses passthrough to OpenAI', model: '@openai/gpt-5', served: 'gpt-5', slug: 'openai', tools: '@openai/gpt-5-tools', upstreamPath: '/v1/responses' },
  { name: 'translated to an OpenAI-compatible chat upstream', model: '@compat/qwen3', served: 'qwen3', slug: 'compat', tools: '@compat/tools-model', upstreamPath: '/v1/chat/completions' },
  { name: 'translated to Anthropic', model: '@anthropic/claude-sonnet-4-5-20250929', served: 'claude-sonnet-4-5-20250929', slug: 'anthropic', tools: '@anthropic/claude-tools', upstreamPath: '/v1/messages' },
]) {
  const upstreamOf = () => (path.slug === 'openai' ? m.openai : path.slug === 'anthropic' ? m.anthropic : m.chat)

  describe(`openai SDK responses.create, ${path.name}`, () => {
    test('not streamed: output_text, usage, the upstream called on its own endpoint, one usage row', async () => {
      const { traceId, options } = traced()
      const before = upstreamOf().requests.length
      const res = await client.responses.create({ model: path.model, instructions: 'Be brief.', input: 'hello there', max_output_tokens: 200 }, options)
      assert.equal(res.object, 'response')
      assert.equal(res.status, 'completed')
      assert.equal(res.output_text, `Hello from ${path.served}: hello there`)
      assert.ok(res.usage && res.usage.input_tokens > 0 && res.usage.output_tokens > 0)
      assert.equal(upstreamOf().requests.slice(before)[0]?.path, path.upstreamPath)
      const [row] = await rowsFor(m.gw, traceId)
      assert.equal(row?.providerSlug, path.slug)
      assert.equal(row?.model, path.served)
      assert.equal(row?.endpoint, '/v1/responses')
      assert.equal(row?.status, 200)
      assert.equal(row?.stream, false)
      assert.equal(row?.inputTokens, res.usage.input_tokens)
      assert.equal(row?.outputTokens, res.usage.output_tokens)
    })

    test('streamed: the Responses event sequence, text deltas, response.completed with usage; one usage row', async () => {
      const { traceId, options } = traced()
      const stream = await client.responses.create({ model: path.model, input: 'count to three', stream: true }, options)
      const types: string[] = []
      let text = ''
      let completed: OpenAI.Responses.Response | undefined
      for await (const event of stream) {
        types.push(event.type)
        if (event.type === 'response.output_text.delta') text += event.delta
        if (event.type === 'response.completed') completed = event.response
      }
      assert.equal(types[0], 'response.created')
      assert.equal(types.at(-1), 'response.completed')
      assert.ok(types.includes('response.output_item.added') && types.includes('response.output_item.done'), types.join(' '))
      assert.equal(text, `Hello from ${path.served}: count to three`)
      assert.equal(completed?.output_text ?? completed?.output.flatMap((o) => (o.type === 'message' ? o.content : [])).map((c) => ('text' in c ? c.text : '')).join(''), text)
      assert.ok(completed?.usage && completed.usage.output_tokens > 0)
      const [row] = await rowsFor(m.gw, traceId)
      assert.equal(row?.providerSlug, path.slug)
      assert.equal(row?.stream, true)
      assert.equal(row?.status, 200)
      assert.equal(row?.outputTokens, completed?.usage?.output_tokens)
    })

    test('responses.stream helper: finalResponse has the text', async () => {
      const final = await client.responses.stream({ model: path.model, input: 'helper' }).finalResponse()
      assert.equal(final.output_text, `Hello from ${path.served}: helper`)
    })

    test('tools: a function_call with JSON arguments (streamed and not), then its output answered', async () => {
      const first = await client.responses.create({ model: path.tools, input: 'weather in Paris', tools: [weatherTool] })
      const call = first.output.find((o): o is OpenAI.Responses.ResponseFunctionToolCall => o.type === 'function_call')
      assert.ok(call, JSON.stringify(first.output))
      assert.equal(call.name, 'get_weather')
      assert.deepEqual(JSON.parse(call.arguments), { input: 'weather in Paris' })
      assert.ok(call.call_id)

      const stream = await client.responses.create({ model: path.tools, input: 'weather in Paris', tools: [weatherTool], stream: true })
      let args = ''
      let done: OpenAI.Responses.ResponseFunctionToolCall | undefined
      for await (const event of stream) {
        if (event.type === 'response.function_call_arguments.delta') args += event.delta
        if (event.type === 'response.output_item.done' && event.item.type === 'function_call') done = event.item
      }
      assert.deepEqual(JSON.parse(args), { input: 'weather in Paris' })
      assert.equal(done?.arguments, args)
      assert.equal(done?.name, 'get_weather')

      const answer = await client.responses.create({
        model: path.tools,
        tools: [weatherTool],
        input: [
          { role: 'user', content: 'weather in Paris' },
          { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21 C' },
        ],
      })
      assert.match(answer.output_text, /sunny, 21 C$/)
    })
  })
}

for (const path of [
  { name: 'passthrough to OpenAI', model: '@openai/gpt-4o', served: 'gpt-4o', slug: 'openai', tools: '@openai/tools' },
  { name: 'translated to Anthropic', model: '@anthropic/claude-sonnet-4-5-20250929', served: 'claude-sonnet-4-5-20250929', slug: 'anthropic', tools: '@anthropic/claude-tools' },
]) {
  describe(`openai SDK chat completions, ${path.name}`, () => {
    test('not streamed: the message, finish_reason, usage; one usage row', async () => {
      const { traceId, options } = traced()
      const res = await client.chat.completions.create(
        { model: path.model, max_tokens: 200, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }] },
        options,
      )
      assert.equal(res.object, 'chat.completion')
      assert.equal(res.choices[0]?.message.role, 'assistant')
      assert.equal(res.choices[0]?.message.content, `Hello from ${path.served}: hello there`)
      assert.equal(res.choices[0]?.finish_reason, 'stop')
      assert.ok(res.usage && res.usage.prompt_tokens > 0 && res.usage.completion_tokens > 0)
      const [row] = await rowsFor(m.gw, traceId)
      assert.equal(row?.providerSlug, path.slug)
      assert.equal(row?.endpoint, '/v1/chat/completions')
      assert.equal(row?.status, 200)
      assert.equal(row?.inputTokens, res.usage.prompt_tokens)
      assert.equal(row?.outputTokens, res.usage.completion_tokens)
    })

    test('streamed, with include_usage: text chunks, finish_reason, a usage chunk; one usage row', async () => {
      const { traceId, options } = traced()
      const stream = await client.chat.completions.create(
        { model: path.model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count to three' }] },
        options,
      )
      let text = ''
      let finish: string | null = null
      let usage: OpenAI.CompletionUsage | undefined
      for await (const chunk of stream) {
        assert.equal(chunk.object, 'chat.completion.chunk')
        text += chunk.choices[0]?.delta.content ?? ''
        finish = chunk.choices[0]?.finish_reason ?? finish
        if (chunk.usage) usage = chunk.usage
      }
      assert.equal(text, `Hello from ${path.served}: count to three`)
      assert.equal(finish, 'stop')
      assert.ok(usage && usage.completion_tokens > 0)
      const [row] = await rowsFor(m.gw, traceId)
      assert.equal(row?.stream, true)
      assert.equal(row?.outputTokens, usage.completion_tokens)
      assert.equal(row?.inputTokens, usage.prompt_tokens)
    })

    test('max_tokens cuts the answer: finish_reason length (streamed and not)', async () => {
      const params = { model: path.model, max_tokens: 3, messages: [{ role: 'user' as const, content: 'one two three four five' }] }
      const res = await client.chat.completions.create(params)
      assert.equal(res.choices[0]?.finish_reason, 'length')
      assert.equal(res.usage?.completion_tokens, 3)
      let finish: string | null = null
      for await (const chunk of await client.chat.completions.create({ ...params, stream: true })) finish = chunk.choices[0]?.finish_reason ?? finish
      assert.equal(finish, 'length')
    })

    test('chat.completions.stream helper: finalChatCompletion has the text', async () => {
      const final = await client.chat.completions.stream({ model: path.model, messages: [{ role: 'user', content: 'helper' }] }).finalChatCompletion()
      assert.equal(final.choices[0]?.message.content, `Hello from ${path.served}: helper`)
    })

    test('tools: tool_calls with JSON arguments (streamed and not), then the tool result answered', async () => {
      const ask: OpenAI.Chat.Completions.ChatCompletionMessageParam = { role: 'user', content: 'weather in Paris' }
      const first = await client.chat.completions.create({ model: path.tools, tools: [chatWeather], messages: [ask] })
      assert.equal(first.choices[0]?.finish_reason, 'tool_calls')
      const call = first.choices[0]?.message.tool_calls?.[0]
      assert.ok(call && call.type === 'function', JSON.stringify(first.choices[0]))
      assert.equal(call.function.name, 'get_weather')
      assert.deepEqual(JSON.parse(call.function.arguments), { input: 'weather in Paris' })

      const stream = await client.chat.completions.create({ model: path.tools, tools: [chatWeather], messages: [ask], stream: true })
      let args = ''
      let name = ''
      let finish: string | null = null
      for await (const chunk of stream) {
        const d = chunk.choices[0]?.delta.tool_calls?.[0]
        args += d?.function?.arguments ?? ''
        name += d?.function?.name ?? ''
        finish = chunk.choices[0]?.finish_reason ?? finish
      }
      assert.equal(name, 'get_weather')
      assert.deepEqual(JSON.parse(args), { input: 'weather in Paris' })
      assert.equal(finish, 'tool_calls')

      const answer = await client.chat.completions.create({
        model: path.tools,
        tools: [chatWeather],
        messages: [ask, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 C' }],
      })
      assert.equal(answer.choices[0]?.finish_reason, 'stop')
      assert.match(answer.choices[0]?.message.content ?? '', /sunny, 21 C$/)
    })
  })
}

describe('openai SDK, the other endpoints', () => {
  test("models.list: OpenAI's list shape, @slug/model ids of every provider", async () => {
    const ids: string[] = []
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model')
      ids.push(model.id)
    }
    assert.ok(ids.includes('@anthropic/claude-sonnet-4-5'), ids.join(', '))
    assert.ok(ids.every((id) => id.startsWith('@')))
  })

  test('embeddings and legacy completions pass through to OpenAI', async () => {
    const emb = await client.embeddings.create({ model: '@openai/text-embedding-3-small', input: ['a', 'b'] })
    assert.equal(emb.data.length, 2)
    assert.equal(emb.data[0]?.embedding.length, 16)
    const done = await client.completions.create({ model: '@openai/gpt-3.5-turbo-instruct', prompt: 'say this' })
    assert.equal(done.choices[0]?.text, 'Hello from gpt-3.5-turbo-instruct: say this')
  })

  test('Responses passthrough keeps server-side state: previous_response_id continues the conversation', async () => {
    const first = await client.responses.create({ model: '@openai/gpt-5', input: 'remember me' })
    const next = await client.responses.create({ model: '@openai/gpt-5', input: 'and now?', previous_response_id: first.id })
    assert.equal(next.previous_response_id, first.id)
    assert.equal(next.output_text, 'Hello from gpt-5: and now?')
  })
})

describe('openai SDK on Anthropic, translation details a user notices', () => {
  test('thinking model: the answer text after the thinking block is intact (streamed and not)', async () => {
    const res = await client.chat.completions.create({ model: '@anthropic/claude-thinking', messages: [{ role: 'user', content: 'hi' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from claude-thinking: hi')
    const stream = await client.chat.completions.create({ model: '@anthropic/claude-thinking', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    assert.equal(text, 'Hello from claude-thinking: hi')
    const r = await client.responses.create({ model: '@anthropic/claude-thinking', input: 'hi' })
    assert.equal(r.output_text, 'Hello from claude-thinking: hi')
  })

  test('cache reads: prompt_tokens include them, cached_tokens reports them, the usage row records them', async () => {
    const { traceId, options } = traced()
    const res = await client.chat.completions.create(
      { model: '@anthropic/claude-cached', messages: [{ role: 'user', content: 'one two three four five six seven eight' }] },
      options,
    )
    // The Anthropic fake counts 8 words + 3 for the message = 11 input tokens and reads half (5) from cache,
    // reporting input_tokens 6 + cache_read_input_tokens 5: OpenAI's prompt_tokens is the whole 11.
    const cached = res.usage?.prompt_tokens_details?.cached_tokens
    assert.equal(cached, 5, JSON.stringify(res.usage))
    assert.equal(res.usage?.prompt_tokens, 11)
    const [row] = await rowsFor(m.gw, traceId)
    assert.equal(row?.cachedTokens, cached)
    assert.equal(row?.inputTokens, res.usage?.prompt_tokens)
  })
})

describe('openai SDK errors, in OpenAI format whatever the upstream', () => {
  test('chat completions on Anthropic, Anthropic answers 529 overloaded: an OpenAI-shaped error the SDK reads', async () => {
    const { traceId, options } = traced()
    const err = await rejection(client.chat.completions.create({ model: '@anthropic/claude-error-529', messages: [{ role: 'user', content: 'x' }] }, options))
    assert.equal(err.status, 529)
    assert.match(err.message, /Overloaded/)
    assert.equal(typeof err.type, 'string')
    const body = err.error as Record<string, unknown>
    assert.equal(body.message, 'Overloaded', JSON.stringify(body))
    assert.ok(!('error' in body) || typeof body.error !== 'object', 'not an Anthropic body')
    const [row] = await rowsFor(m.gw, traceId)
    assert.equal(row?.status, 529)
  })

  for (const [name, model] of [
    ['on Anthropic', '@anthropic/claude-error-429'],
    ['on a chat upstream', '@compat/error-429'],
    ['passthrough', '@openai/gpt-5-error-429'],
  ] as const) {
    test(`responses.create ${name}, upstream answers 429: RateLimitError with Retry-After`, async () => {
      const err = await rejection(client.responses.create({ model, input: 'x' }))
      assert.ok(err instanceof OpenAI.RateLimitError)
      assert.equal(err.status, 429)
      assert.equal(err.headers?.get('retry-after'), '1')
      assert.ok(err.message.length > 0)
    })
  }

  test('gateway errors: unknown provider is a NotFoundError with a code', async () => {
    const err = await rejection(client.responses.create({ model: '@nope/gpt-5', input: 'x' }))
    assert.ok(err instanceof OpenAI.NotFoundError)
    assert.equal(err.code, 'provider_not_found')
  })

  for (const [name, model] of [
    ['chat passthrough, the upstream drops the connection', '@openai/stream-drop'],
    ['chat on Anthropic, Anthropic sends an error event', '@anthropic/claude-stream-error'],
    ['chat on Anthropic, Anthropic drops the connection', '@anthropic/claude-stream-drop'],
  ] as const) {
    test(`mid-stream failure, ${name}: the SDK's stream throws after the first text`, async () => {
      const { traceId, options } = traced()
      const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'a long answer please' }] }, options)
      let text = ''
      const err = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
      })().then(
        () => assert.fail(`expected the stream to fail; got ${JSON.stringify(text)}`),
        (e: unknown) => e,
      )
      assert.ok(err instanceof OpenAI.APIError, String(err))
      assert.ok(text.length > 0, 'text before the failure')
      const [row] = await rowsFor(m.gw, traceId)
      assert.ok(row && row.status >= 500, JSON.stringify(row))
    })
  }

  for (const [name, model, reason] of [
    ['passthrough, response.failed from OpenAI', '@openai/gpt-5-stream-error', /An error occurred while processing your request/],
    ['passthrough, the upstream drops the connection', '@openai/gpt-5-stream-drop', /@openai closed the connection/],
    ['on Anthropic, Anthropic sends an error event', '@anthropic/claude-stream-error', /Overloaded/],
    ['on a chat upstream, the upstream drops the connection', '@compat/stream-drop', /@compat closed the connection/],
  ] as const) {
    test(`mid-stream failure of responses.create, ${name}: the stream ends with response.failed and the reason`, async () => {
      const { traceId, options } = traced()
      const stream = await client.responses.create({ model, input: 'a long answer please', stream: true }, options)
      const types: string[] = []
      let text = ''
      let failed: OpenAI.Responses.Response | undefined
      // As OpenAI does, a failure inside a Responses stream is an event (the SDK yields it, Codex reads it).
      for await (const event of stream) {
        types.push(event.type)
        if (event.type === 'response.output_text.delta') text += event.delta
        if (event.type === 'response.failed') failed = event.response
      }
      assert.equal(types.at(-1), 'response.failed', types.join(' '))
      assert.ok(!types.includes('response.completed'))
      assert.equal(failed?.status, 'failed')
      assert.match(failed?.error?.message ?? '', reason)
      assert.ok(text === '' || text.startsWith('Hello'), text)
      const [row] = await rowsFor(m.gw, traceId)
      assert.ok(row && row.status >= 500, JSON.stringify(row))
    })
  }
})
