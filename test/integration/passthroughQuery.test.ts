/**
 * Claude Code calls `POST /v1/messages?beta=true`: on passthrough the Anthropic upstream must see the
 * same URL (the query included), checked on the upstream's side; a translated call sends none.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let claude: Upstream
let local: Upstream
let client: Anthropic
/** Sends `?beta=true` on every call, as Claude Code does. */
let beta: Anthropic

before(async () => {
  claude = await startAnthropicUpstream({ apiKey: 'sk-ant-test-0123456789' })
  local = await startOpenAIUpstream({ models: ['qwen3'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'anthropic', kind: 'anthropic', apiKey: 'sk-ant-test-0123456789', settings: { baseUrl: `${claude.url}/v1` } })
  await gw.admin('integrations:create', { slug: 'local', kind: 'openai-compatible', settings: { baseUrl: local.url } })
  const apiKey = await gw.newKey()
  client = new Anthropic({ baseURL: gw.url, apiKey, maxRetries: 0 })
  beta = new Anthropic({ baseURL: gw.url, apiKey, maxRetries: 0, defaultQuery: { beta: 'true' } })
})
after(async () => {
  await gw.stop()
  await claude.close()
  await local.close()
})

test('?beta=true reaches an Anthropic upstream on passthrough, whole and streamed', async () => {
  const res = await beta.messages.create({ model: '@anthropic/claude-sonnet-4-5-20250929', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
  assert.equal(res.type, 'message')
  assert.equal(claude.requests.at(-1)?.path, '/v1/messages?beta=true')
  await beta.messages.stream({ model: '@anthropic/claude-sonnet-4-5-20250929', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
  assert.equal(claude.requests.at(-1)?.path, '/v1/messages?beta=true')
  await client.messages.create({ model: '@anthropic/claude-sonnet-4-5-20250929', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
  assert.equal(claude.requests.at(-1)?.path, '/v1/messages', 'no query in, none out')
})

test('a translated call does not carry the query to another dialect', async () => {
  await beta.messages.create({ model: '@local/qwen3', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
  assert.equal(local.requests.at(-1)?.path, '/v1/chat/completions')
})
