/**
 * The real `portkey-ai` SDK, unchanged, against the gateway: chat completions (streamed and not, tools)
 * and Responses with a provider named by `@slug` (the SDK's `provider` option) or in the model, through
 * passthrough and translation to Anthropic; its trace id and metadata on the usage row; the model list;
 * errors as the SDK raises them.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { Portkey } from 'portkey-ai'
import { ANTHROPIC_KEY, rowsFor, startMatrix, type Matrix } from './matrix.ts'

let m: Matrix

before(async () => {
  m = await startMatrix()
})

after(async () => {
  await m?.stop()
})

// The SDK sends `x-portkey-strict-open-ai-compliance: false` unless told otherwise, so answers translated
// from Anthropic keep its stop reasons and content blocks, as Portkey's gateway gives them.
const portkey = (opts: { provider?: string; traceID?: string; metadata?: Record<string, string>; strictOpenAiCompliance?: boolean } = {}) =>
  new Portkey({ baseURL: `${m.gw.url}/v1`, apiKey: m.key, ...opts })

const weather = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}

for (const path of [
  { name: 'provider @ollama (OpenAI-compatible chat, passthrough)', provider: '@ollama', model: 'llama3.2', tools: 'tools-model', served: 'llama3.2', slug: 'ollama', stop: 'stop', toolStop: 'tool_calls' },
  { name: 'provider @anthropic (translated to Anthropic)', provider: '@anthropic', model: 'claude-sonnet-4-5-20250929', tools: 'claude-tools', served: 'claude-sonnet-4-5-20250929', slug: 'anthropic', stop: 'end_turn', toolStop: 'tool_use' },
]) {
  describe(`portkey-ai chat completions, ${path.name}`, () => {
    test('not streamed: the answer; trace id and metadata on the usage row', async () => {
      const traceID = randomUUID()
      const res = await portkey({ provider: path.provider, traceID, metadata: { _user: 'conformance' } }).chat.completions.create({
        model: path.model,
        messages: [{ role: 'user', content: 'hello there' }],
      })
      assert.equal(res.choices?.[0]?.message?.content, `Hello from ${path.served}: hello there`)
      assert.equal(res.choices?.[0]?.finish_reason, path.stop)
      const [row] = await rowsFor(m.gw, traceID)
      assert.equal(row?.providerSlug, path.slug)
      assert.equal(row?.model, path.served)
      assert.equal(row?.status, 200)
      assert.deepEqual(row?.metadata, { _user: 'conformance' })
      assert.equal(row?.inputTokens, res.usage?.prompt_tokens)
      assert.equal(row?.outputTokens, res.usage?.completion_tokens)
    })

    test('streamed: the text arrives in chunks; usage recorded', async () => {
      const traceID = randomUUID()
      const stream = await portkey({ provider: path.provider, traceID }).chat.completions.create({
        model: path.model,
        stream: true,
        messages: [{ role: 'user', content: 'count to three' }],
      })
      let text = ''
      let chunks = 0
      for await (const chunk of stream) {
        chunks++
        text += chunk.choices?.[0]?.delta?.content ?? ''
      }
      assert.equal(text, `Hello from ${path.served}: count to three`)
      assert.ok(chunks > 2)
      const [row] = await rowsFor(m.gw, traceID)
      assert.equal(row?.stream, true)
      assert.ok((row?.outputTokens ?? 0) > 0)
    })

    test('tools: a tool call with JSON arguments, then the tool result answered', async () => {
      const client = portkey({ provider: path.provider })
      const ask = { role: 'user' as const, content: 'weather in Paris' }
      const first = await client.chat.completions.create({ model: path.tools, tools: [weather], messages: [ask] })
      const message = first.choices?.[0]?.message
      const call = message?.tool_calls?.[0]
      assert.equal(first.choices?.[0]?.finish_reason, path.toolStop)
      assert.ok(call && call.type === 'function')
      assert.equal(call.function.name, 'get_weather')
      assert.deepEqual(JSON.parse(String(call.function.arguments)), { input: 'weather in Paris' })
      const answer = await client.chat.completions.create({
        model: path.tools,
        tools: [weather],
        messages: [ask, message as never, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 C' }],
      })
      assert.match(String(answer.choices?.[0]?.message?.content ?? ''), /sunny, 21 C$/)
    })

    test('strictOpenAiCompliance: true gives OpenAI\'s finish reasons and fields only', async () => {
      const res = await portkey({ provider: path.provider, strictOpenAiCompliance: true }).chat.completions.create({ model: path.model, messages: [{ role: 'user', content: 'hi' }] })
      assert.equal(res.choices?.[0]?.finish_reason, 'stop')
      assert.equal((res.choices?.[0]?.message as { content_blocks?: unknown } | undefined)?.content_blocks, undefined)
    })
  })
}

describe('portkey-ai, other ways in', () => {
  test('"@slug/model" in model, no provider option', async () => {
    const res = await portkey().chat.completions.create({ model: '@anthropic/claude-sonnet-4-5-20250929', messages: [{ role: 'user', content: 'x' }] })
    assert.equal(res.choices?.[0]?.message?.content, 'Hello from claude-sonnet-4-5-20250929: x')
    // The vault key reaches Anthropic; the Switchyard key does not.
    const sent = m.anthropic.requests.at(-1)
    assert.equal(sent?.headers['x-api-key'], ANTHROPIC_KEY)
    assert.ok(!JSON.stringify(sent?.headers).includes(m.key))
  })

  test('responses.create: passthrough to OpenAI and translated to Anthropic', async () => {
    const direct = await portkey({ provider: '@openai' }).responses.create({ model: 'gpt-5', input: 'via responses' })
    assert.equal(direct.output_text, 'Hello from gpt-5: via responses')
    const translated = await portkey({ provider: '@anthropic' }).responses.create({ model: 'claude-sonnet-4-5-20250929', input: 'via responses' })
    assert.equal(translated.output_text, 'Hello from claude-sonnet-4-5-20250929: via responses')
  })

  test('models.list with provider @anthropic: that provider\'s bare model ids', async () => {
    const list = await portkey({ provider: '@anthropic' }).models.list()
    const ids = (list.data ?? []).map((x: { id: string }) => x.id)
    assert.ok(ids.includes('claude-sonnet-4-5'), ids.join(', '))
    assert.ok(ids.every((id: string) => !id.startsWith('@')))
  })

  test('errors: Anthropic 529 overloaded and a chat upstream 429 reach the SDK with their status and message', async () => {
    const overloaded = await portkey({ provider: '@anthropic' })
      .chat.completions.create({ model: 'claude-error-529', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    assert.ok(overloaded instanceof Error)
    assert.equal((overloaded as { status?: number }).status, 529)
    assert.match(overloaded.message, /Overloaded/)
    const limited = await portkey({ provider: '@ollama' })
      .chat.completions.create({ model: 'error-429', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    assert.ok(limited instanceof Error)
    assert.equal((limited as { status?: number }).status, 429)
    assert.match(limited.message, /Rate limit reached/)
  })

  test('a mid-stream failure (Anthropic error event, translated) reaches the SDK as the error chunk OpenAI sends', async () => {
    const stream = await portkey({ provider: '@anthropic' }).chat.completions.create({
      model: 'claude-stream-error',
      stream: true,
      messages: [{ role: 'user', content: 'a long answer please' }],
    })
    let text = ''
    let finish: string | null | undefined
    let failure: { message?: string } | undefined
    // OpenAI ends a failed chat stream with `data: {"error": …}`. The openai SDK throws on it; this SDK
    // throws only on `event: error` and otherwise yields the chunk, so the caller sees the error object.
    try {
      for await (const chunk of stream) {
        const c = chunk as { choices?: { delta?: { content?: string }; finish_reason?: string | null }[]; error?: { message?: string } }
        text += c.choices?.[0]?.delta?.content ?? ''
        finish = c.choices?.[0]?.finish_reason ?? finish
        if (c.error) failure = c.error
      }
    } catch (e) {
      failure = e as Error
    }
    assert.match(failure?.message ?? '', /Overloaded/)
    assert.ok(!finish, 'no finish_reason: the answer is not presented as complete')
    assert.ok(text.startsWith('Hello'))
  })
})
