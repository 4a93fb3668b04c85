/**
 * A local model's served context is checked before sending: Ollama serves 4,096 tokens by default
 * and silently truncates longer prompts, so the gateway refuses them with a clear error in the
 * caller's format, unless the integration says the context is larger or asks only for a warning.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

let gw: TestGateway
let ollama: Upstream
let openai: OpenAI
let claude: Anthropic
const long = 'the quick brown fox jumps over the lazy dog '.repeat(600) // ≈ 5,400 tokens

before(async () => {
  ollama = await startOpenAIUpstream({ models: ['qwen3'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'ollama', kind: 'ollama', settings: { baseUrl: ollama.url } })
  const key = await gw.newKey()
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
  claude = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
})
after(async () => {
  await gw.stop()
  await ollama.close()
})

test('a prompt longer than Ollama\'s default 4,096-token context is refused before it is sent', async () => {
  const sent = ollama.requests.length
  const err = await openai.chat.completions.create({ model: '@ollama/qwen3', messages: [{ role: 'user', content: long }] }).catch((e: unknown) => e)
  assert.ok(err instanceof OpenAI.BadRequestError)
  assert.equal(err.code, 'context_window_exceeded')
  assert.match(err.message, /serves a context of 4096 tokens/)
  assert.match(err.message, /OLLAMA_CONTEXT_LENGTH/)
  const anthropicErr = await claude.messages.create({ model: '@ollama/qwen3', max_tokens: 100, messages: [{ role: 'user', content: long }] }).catch((e: unknown) => e)
  assert.ok(anthropicErr instanceof Anthropic.BadRequestError, 'Anthropic callers get an Anthropic-shaped 400')
  assert.equal(ollama.requests.length, sent, 'nothing reached the server')
})

test('short prompts pass; max output tokens count toward the window', async () => {
  const ok = await openai.chat.completions.create({ model: '@ollama/qwen3', messages: [{ role: 'user', content: 'short' }] })
  assert.equal(ok.choices[0]?.message.content, 'Hello from qwen3: short')
  const err = await openai.chat.completions.create({ model: '@ollama/qwen3', max_tokens: 5000, messages: [{ role: 'user', content: 'short' }] }).catch((e: unknown) => e)
  assert.ok(err instanceof OpenAI.BadRequestError)
})

test('a larger served context, per integration or per model, lets the request through', async () => {
  const integration = (await gw.admin('integrations:list')).find((i) => i.slug === 'ollama')
  assert.ok(integration)
  await gw.admin('integrations:update', { id: integration.id, settings: { baseUrl: ollama.url, contextWindows: { qwen3: 32768 } } })
  const res = await openai.chat.completions.create({ model: '@ollama/qwen3', messages: [{ role: 'user', content: long }] })
  assert.ok(res.choices[0]?.message.content?.startsWith('Hello from qwen3'))
})

test('with contextPolicy "warn" the request goes through and the usage row keeps the warning', async () => {
  const integration = (await gw.admin('integrations:list')).find((i) => i.slug === 'ollama')
  assert.ok(integration)
  await gw.admin('integrations:update', { id: integration.id, settings: { baseUrl: ollama.url, contextPolicy: 'warn' } })
  const traceId = randomUUID()
  await openai.chat.completions.create({ model: '@ollama/qwen3', messages: [{ role: 'user', content: long }] }, { headers: { 'x-portkey-trace-id': traceId } })
  const row = await usageFor(gw, traceId)
  assert.equal(row.status, 200)
  assert.match(row.error ?? '', /^warning: .*4096/)
})
