/**
 * Every provider file runs (TensorZero-style, table-driven): each OpenAI-wire provider in the registry
 * is set up as an integration against a local upstream speaking its wire, and the real `openai` SDK
 * calls it through the gateway: chat, streaming, tools, and embeddings when the file declares them
 * (the gateway refuses them otherwise). The upstream sees the file's auth header, its stream-usage
 * mode and its `dropParams` removed. Providers with their own wire are listed with the suite that
 * runs them.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import type { ProviderSpec } from '../../main/providers/provider.ts'
import { providerKinds } from '../../main/providers/registry.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

/** Providers whose wire is not OpenAI's, or that route by their own rules, and the suites that run them. */
const ownSuites: Record<string, string> = {
  anthropic: 'test/cloud/anthropicUpstream.test.ts',
  'azure-openai': 'test/upstreams/azureUpstream.test.ts, test/integration/azureAndPortkey.test.ts',
  bedrock: 'test/cloud/bedrockUpstream.test.ts, test/integration/cloudProviders.test.ts',
  vertex: 'test/cloud/vertexUpstream.test.ts, test/integration/cloudProviders.test.ts',
  gemini: 'test/cloud/geminiUpstream.test.ts, test/integration/cloudProviders.test.ts',
}

const specs = [...providerKinds.values()]
const openaiWire = specs.filter((s) => s.dialect === 'openai' && !s.transport && !s.target)

test('every provider file is in this suite or names its own', () => {
  const missing = specs.filter((s) => !openaiWire.includes(s) && !ownSuites[s.id]).map((s) => s.id)
  assert.deepEqual(missing, [])
})

for (const s of specs.filter((s) => !openaiWire.includes(s))) {
  test(`${s.id}: runs in its own wire's suite`, { skip: ownSuites[s.id] }, () => {})
}

const UPSTREAM_KEY = 'sk-upstream-every-provider-0123456789'
const weather = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}

let gw: TestGateway
let client: OpenAI
const upstreams = new Map<string, Upstream>()

before(async () => {
  gw = await startTestGateway()
  for (const spec of openaiWire) {
    const bearer = 'authorization' in spec.authHeaders('k')
    const upstream = await startOpenAIUpstream({
      models: ['gpt-4o', 'text-embedding-3-small'],
      usageInStream: spec.streamUsage === 'none' ? 'never' : spec.streamUsage,
      ...(spec.needsApiKey && bearer ? { apiKey: UPSTREAM_KEY } : {}),
    })
    upstreams.set(spec.id, upstream)
    await gw.admin('integrations:create', { slug: `p-${spec.id}`, kind: spec.id, ...(spec.needsApiKey ? { apiKey: UPSTREAM_KEY } : {}), settings: { baseUrl: upstream.url } })
  }
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: await gw.newKey(), maxRetries: 0 })
})

after(async () => {
  await gw?.stop()
  await Promise.all([...upstreams.values()].map((u) => u.close()))
})

function last(spec: ProviderSpec): { headers: Record<string, string>; body: Record<string, unknown>; path: string } {
  const r = upstreams.get(spec.id)?.requests.at(-1)
  assert.ok(r, `${spec.id}'s upstream received a request`)
  return { headers: r.headers, body: r.body as Record<string, unknown>, path: r.path }
}

for (const spec of openaiWire) {
  const model = `@p-${spec.id}/gpt-4o`
  const has = (e: string) => spec.endpoints.includes(e as ProviderSpec['endpoints'][number])
  describe(`${spec.id} (${spec.name})`, () => {
    test('chat: answer, the file\'s auth header, dropParams removed and other fields kept', async () => {
      const extra = Object.fromEntries((spec.dropParams ?? []).map((p) => [p, p === 'logit_bias' ? { '50256': -100 } : p === 'top_logprobs' ? 2 : true]))
      const res = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi there' }], temperature: 0.5, ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: hi there')
      const sent = last(spec)
      assert.match(sent.path, /\/chat\/completions$/)
      assert.equal(sent.body.model, 'gpt-4o')
      assert.equal(sent.body.temperature, 0.5)
      for (const p of spec.dropParams ?? []) assert.equal(p in sent.body, false, `${p} is dropped`)
      if (spec.needsApiKey) {
        for (const [name, value] of Object.entries(spec.authHeaders(UPSTREAM_KEY))) assert.equal(sent.headers[name.toLowerCase()], value, name)
      } else {
        assert.equal(sent.headers.authorization, undefined, 'no key is sent to a keyless server')
      }
    })

    test(`streaming: text and usage (${spec.streamUsage})`, async () => {
      // The client asks for usage; how the upstream is made to send it is the file's streamUsage.
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'stream please' }], stream: true, stream_options: { include_usage: true } })
      let text = ''
      let usage: OpenAI.CompletionUsage | null | undefined
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? ''
        usage = chunk.usage ?? usage
      }
      assert.equal(text, 'Hello from gpt-4o: stream please')
      if (spec.streamUsage === 'none') assert.equal(usage ?? null, null)
      else assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, 'usage reaches the client')
      const asked = (last(spec).body.stream_options as { include_usage?: boolean } | undefined)?.include_usage
      if (spec.streamUsage === 'stream_options') assert.equal(asked, true, 'the upstream is asked for usage')
    })

    test('tools: a tool call comes back', async () => {
      const res = await client.chat.completions.create({ model: `@p-${spec.id}/gpt-4o-tools`, messages: [{ role: 'user', content: 'weather in Paris?' }], tools: [weather] })
      const call = res.choices[0]?.message.tool_calls?.[0]
      assert.equal(res.choices[0]?.finish_reason, 'tool_calls')
      assert.equal(call?.type === 'function' ? call.function.name : undefined, 'get_weather')
      assert.deepEqual((last(spec).body.tools as unknown[]).length, 1)
    })

    test(`embeddings: ${has('embeddings') ? 'served' : 'refused, not declared'}`, async () => {
      const call = client.embeddings.create({ model: `@p-${spec.id}/text-embedding-3-small`, input: 'hello' })
      if (!has('embeddings')) {
        await assert.rejects(call, (e: unknown) => e instanceof OpenAI.APIError && e.status === 400)
        return
      }
      const res = await call
      assert.ok((res.data[0]?.embedding.length ?? 0) > 0)
      assert.match(last(spec).path, /\/embeddings$/)
    })
  })
}
