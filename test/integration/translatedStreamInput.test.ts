/**
 * An Anthropic stream made by translation (here from an OpenAI-compatible chat upstream, which reports
 * usage only at the end) announces its input tokens in `message_start`, as Anthropic does, so clients
 * that read them there (LangChain's `ChatAnthropic.stream()`) do not see zero; the final
 * `message_delta` still carries the upstream's real count.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let local: Upstream
let client: Anthropic

before(async () => {
  local = await startOpenAIUpstream({ models: ['qwen3'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'local', kind: 'openai-compatible', settings: { baseUrl: local.url } })
  client = new Anthropic({ baseURL: gw.url, apiKey: await gw.newKey(), maxRetries: 0 })
})
after(async () => {
  await gw.stop()
  await local.close()
})

test('message_start carries an input-token estimate; message_delta the real count', async () => {
  const prompt = 'Summarise the following design notes for the team. '.repeat(40)
  const stream = await client.messages.create({ model: '@local/qwen3', max_tokens: 64, stream: true, system: 'You are terse.', messages: [{ role: 'user', content: prompt }] })
  let started = -1
  let final = -1
  for await (const e of stream) {
    if (e.type === 'message_start') started = e.message.usage.input_tokens
    if (e.type === 'message_delta') final = e.usage.input_tokens ?? -1
  }
  // ~2,000 characters of text: about 500 tokens by any tokenizer; the estimate must be in that range.
  assert.ok(started >= 300 && started <= 800, `message_start input_tokens: ${started}`)
  assert.ok(final > 0, 'the upstream count arrives in message_delta')
})
