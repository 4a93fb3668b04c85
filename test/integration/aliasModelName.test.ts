/**
 * With an alias, clients see the model name they asked for on every endpoint, whole and streamed,
 * passthrough and translated; the upstream gets the alias's target and the usage row records it.
 * Real SDKs over real HTTP against fake upstreams that answer with their own model name.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let local: Upstream
let claude: Upstream
let openai: OpenAI
let anthropic: Anthropic

before(async () => {
  local = await startOpenAIUpstream({ models: ['mock-model'], responses: true })
  claude = await startAnthropicUpstream({ apiKey: 'sk-ant-test-0123456789', models: ['claude-real-1'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'lmstudio', kind: 'openai-compatible', settings: { baseUrl: local.url } })
  await gw.admin('integrations:create', { slug: 'claude', kind: 'anthropic', apiKey: 'sk-ant-test-0123456789', settings: { baseUrl: `${claude.url}/v1` } })
  await gw.admin('aliases:set', {
    workspaceId: 'default',
    aliases: [
      { pattern: 'gpt-*', target: '@lmstudio/mock-model' },
      { pattern: 'claude-sonnet-*', target: '@claude/claude-real-1' },
      { pattern: 'claude-haiku-*', target: '@lmstudio/mock-model' },
    ],
  })
  const key = await gw.newKey()
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
})
after(async () => {
  await gw.stop()
  await local.close()
  await claude.close()
})

const lastModel = (u: Upstream) => (u.requests.at(-1)?.body as { model: string }).model

describe('passthrough', () => {
  test('chat completions, whole and streamed', async () => {
    const res = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    assert.equal(res.model, 'gpt-4o')
    assert.equal(lastModel(local), 'mock-model')
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    const models = new Set<string>()
    let text = ''
    for await (const chunk of stream) {
      models.add(chunk.model)
      text += chunk.choices[0]?.delta.content ?? ''
    }
    assert.deepEqual([...models], ['gpt-4o'])
    assert.match(text, /Hello from mock-model/, 'content that names the upstream model is left alone')
  })

  test('responses, whole and streamed', async () => {
    const res = await openai.responses.create({ model: 'gpt-5', input: 'hi' })
    assert.equal(res.model, 'gpt-5')
    const stream = await openai.responses.create({ model: 'gpt-5', input: 'hi', stream: true })
    const models: string[] = []
    for await (const e of stream) if ('response' in e) models.push(e.response.model)
    assert.ok(models.length >= 2)
    assert.deepEqual([...new Set(models)], ['gpt-5'])
  })

  test('anthropic messages, whole and streamed', async () => {
    const res = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] })
    assert.equal(res.model, 'claude-sonnet-4-5')
    assert.equal(lastModel(claude), 'claude-real-1')
    const stream = anthropic.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] })
    const final = await stream.finalMessage()
    assert.equal(final.model, 'claude-sonnet-4-5')
  })
})

describe('translated', () => {
  test('anthropic messages to an OpenAI-compatible model, whole and streamed', async () => {
    const res = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] })
    assert.equal(res.model, 'claude-haiku-4-5')
    const final = await anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    assert.equal(final.model, 'claude-haiku-4-5')
  })
})

test('an explicit @slug/model keeps the upstream name', async () => {
  const res = await openai.chat.completions.create({ model: '@lmstudio/mock-model', messages: [{ role: 'user', content: 'hi' }] })
  assert.equal(res.model, 'mock-model')
})
