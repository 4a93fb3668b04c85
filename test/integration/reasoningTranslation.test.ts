/**
 * Reasoning survives translation, through real HTTP with the real SDKs: for every pair of dialects
 * where both sides have the concept, the caller's setting (chat `reasoning_effort`, Responses
 * `reasoning.effort`, Anthropic `thinking`) reaches the upstream in its own field, checked on the
 * upstream's side; models that take no reasoning get none, and OpenAI gets `max_completion_tokens`.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startBedrockUpstream, type BedrockUpstream } from '../support/upstreams/bedrockUpstream.ts'
import { startGeminiUpstream } from '../support/upstreams/geminiUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

const ANTHROPIC_KEY = 'sk-ant-test-0123456789'
const GEMINI_KEY = 'AIzaSyD-switchyard-test-key-0123456789'
const AWS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }

let gw: TestGateway
let claudeUp: Upstream
let openaiUp: Upstream
let geminiUp: Upstream
let bedrockUp: BedrockUpstream
let openai: OpenAI
let anthropic: Anthropic

before(async () => {
  claudeUp = await startAnthropicUpstream({ apiKey: ANTHROPIC_KEY })
  openaiUp = await startOpenAIUpstream({ models: ['o3', 'gpt-4o'] })
  geminiUp = await startGeminiUpstream({ apiKey: GEMINI_KEY })
  bedrockUp = await startBedrockUpstream({ credentials: [AWS], models: ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'amazon.nova-2-lite-v1:0'], profileOnly: [] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'anthropic', kind: 'anthropic', apiKey: ANTHROPIC_KEY, settings: { baseUrl: `${claudeUp.url}/v1` } })
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: 'sk-test-0123456789abcdef', settings: { baseUrl: openaiUp.url } })
  await gw.admin('integrations:create', { slug: 'compat', kind: 'openai-compatible', settings: { baseUrl: openaiUp.url } })
  await gw.admin('integrations:create', { slug: 'gemini', kind: 'gemini', apiKey: GEMINI_KEY, settings: { baseUrl: `${geminiUp.url}/v1beta` } })
  await gw.admin('integrations:create', { slug: 'bedrock', kind: 'bedrock', credentials: AWS, settings: { awsRegion: 'us-east-1', baseUrl: bedrockUp.url } })
  const key = await gw.newKey()
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
})
after(async () => {
  await gw.stop()
  await Promise.all([claudeUp.close(), openaiUp.close(), geminiUp.close(), bedrockUp.close()])
})

const sent = (u: { requests: Array<{ body: unknown }> }) => u.requests.at(-1)?.body as Record<string, unknown>
const chat = (model: string, extra: Record<string, unknown> = {}) =>
  openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'think' }], reasoning_effort: 'high', ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming)
const responses = (model: string) => openai.responses.create({ model, input: 'think', reasoning: { effort: 'high' }, max_output_tokens: 8000 })
const messages = (model: string) =>
  anthropic.messages.create({ model, max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 4000 }, messages: [{ role: 'user', content: 'think' }] })

describe('to Anthropic', () => {
  test('chat reasoning_effort becomes thinking', async () => {
    await chat('@anthropic/claude-sonnet-4-5-20250929', { max_completion_tokens: 8000 })
    const body = sent(claudeUp)
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 7999 })
    assert.equal(body.max_tokens, 8000)
  })
  test('Responses reasoning.effort becomes thinking', async () => {
    await responses('@anthropic/claude-sonnet-4-5-20250929')
    assert.deepEqual(sent(claudeUp).thinking, { type: 'enabled', budget_tokens: 7999 })
  })
  test('a model without extended thinking gets none', async () => {
    await chat('@anthropic/claude-3-5-haiku-20241022')
    assert.equal('thinking' in sent(claudeUp), false)
  })
  test('on Bedrock (Claude through InvokeModel) too', async () => {
    await chat('@bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0', { max_completion_tokens: 8000 })
    assert.deepEqual(sent(bedrockUp).thinking, { type: 'enabled', budget_tokens: 7999 })
  })
})

describe('to OpenAI chat', () => {
  test('Anthropic thinking becomes reasoning_effort, with max_completion_tokens', async () => {
    await messages('@openai/o3')
    const body = sent(openaiUp)
    assert.equal(typeof body.reasoning_effort, 'string')
    assert.equal(body.max_completion_tokens, 8000)
    assert.equal('max_tokens' in body, false, 'OpenAI reasoning models refuse max_tokens')
  })
  test('Responses reasoning.effort becomes reasoning_effort on a chat-only server', async () => {
    await responses('@compat/o3')
    const body = sent(openaiUp)
    assert.equal(body.reasoning_effort, 'high')
    assert.equal(body.max_completion_tokens, 8000)
  })
  test('a model without reasoning gets no reasoning_effort; a compatible server keeps max_tokens', async () => {
    await messages('@compat/gpt-4o')
    const body = sent(openaiUp)
    assert.equal('reasoning_effort' in body, false)
    assert.equal(body.max_tokens, 8000)
  })
})

describe('to Gemini', () => {
  for (const [caller, call] of [
    ['chat', () => chat('@gemini/gemini-2.5-flash', { max_completion_tokens: 8000 })],
    ['Responses', () => responses('@gemini/gemini-2.5-flash')],
    ['Anthropic', () => messages('@gemini/gemini-2.5-flash')],
  ] as const) {
    test(`${caller} reasoning becomes thinkingConfig`, async () => {
      await call()
      const config = sent(geminiUp).generationConfig as Record<string, unknown>
      assert.ok(config.thinkingConfig, `no thinkingConfig in ${JSON.stringify(config)}`)
    })
  }
  test('a model that does not think gets none', async () => {
    await chat('@gemini/gemini-2.0-flash')
    assert.equal('thinkingConfig' in ((sent(geminiUp).generationConfig as object | undefined) ?? {}), false)
  })
})

describe('to Bedrock Converse', () => {
  test('chat reasoning_effort becomes Nova 2 reasoningConfig', async () => {
    await chat('@bedrock/amazon.nova-2-lite-v1:0')
    const extra = sent(bedrockUp).additionalModelRequestFields as Record<string, unknown> | undefined
    assert.deepEqual(extra?.reasoningConfig, { type: 'enabled', maxReasoningEffort: 'high' })
  })
})
