/**
 * Model aliases through real HTTP: Claude Code's tier names (`claude-sonnet-*`, `claude-haiku-*`)
 * mapped per workspace and per API key to any provider, here a local OpenAI-compatible server
 * reached through Anthropic → chat translation, with the @anthropic-ai/sdk as the client.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

let gw: TestGateway
let local: Upstream

before(async () => {
  local = await startOpenAIUpstream({ models: ['qwen3', 'llama3.2'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'local', kind: 'ollama', settings: { baseUrl: local.url } })
})
after(async () => {
  await gw.stop()
  await local.close()
})

test('workspace aliases send Claude tiers to a local model; a key alias overrides its workspace', async () => {
  await gw.admin('aliases:set', {
    workspaceId: 'default',
    aliases: [
      { pattern: 'claude-haiku-*', target: '@local/llama3.2' },
      { pattern: 'claude-*', target: '@local/qwen3' },
    ],
  })
  const key = await gw.admin('keys:create', { name: 'claude-code' })
  const claude = new Anthropic({ baseURL: gw.url, apiKey: key.key, maxRetries: 0 })
  const traceId = randomUUID()
  const res = await claude.messages.create(
    { model: 'claude-sonnet-4-5-20250929', max_tokens: 64, messages: [{ role: 'user', content: 'plan the refactor' }] },
    { headers: { 'x-portkey-trace-id': traceId } },
  )
  assert.equal(res.content[0]?.type === 'text' && res.content[0].text, 'Hello from qwen3: plan the refactor')
  assert.equal(res.model, 'claude-sonnet-4-5-20250929', 'the client sees the model it asked for')
  assert.equal((local.requests.at(-1)?.body as { model: string }).model, 'qwen3')
  const row = await usageFor(gw, traceId)
  assert.equal(row.providerSlug, 'local')
  assert.equal(row.model, 'qwen3')
  assert.equal(row.costMicros, 0, 'local models are free')

  const haiku = await claude.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'title' }] })
  assert.equal(haiku.content[0]?.type === 'text' && haiku.content[0].text, 'Hello from llama3.2: title')

  await gw.admin('aliases:set', { apiKeyId: key.id, aliases: [{ pattern: 'claude-sonnet-*', target: '@local/llama3.2' }] })
  const own = await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] })
  assert.equal(own.content[0]?.type === 'text' && own.content[0].text, 'Hello from llama3.2: x')
  assert.deepEqual(await gw.admin('aliases:list', { apiKeyId: key.id }), [{ pattern: 'claude-sonnet-*', target: '@local/llama3.2' }])
})

test('streams through an alias and translation arrive as Anthropic events with usage', async () => {
  const key = await gw.newKey('stream')
  const claude = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
  const stream = claude.messages.stream({ model: 'claude-opus-4-1', max_tokens: 64, messages: [{ role: 'user', content: 'stream please' }] })
  const final = await stream.finalMessage()
  assert.equal(final.content[0]?.type === 'text' && final.content[0].text, 'Hello from qwen3: stream please')
  assert.ok(final.usage.output_tokens > 0)
})

test('an alias to an unknown provider is refused with the field named', async () => {
  const res = await gw.adminRaw('aliases:set', { workspaceId: 'default', aliases: [{ pattern: 'x', target: '@nope/y' }] })
  assert.equal(res.status, 400)
  const body = (await res.json()) as { error: { path: string } }
  assert.equal(body.error.path, 'aliases[0].target')
})
