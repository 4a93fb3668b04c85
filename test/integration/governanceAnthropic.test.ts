/**
 * Governance errors as an Anthropic client sees them: Claude Code and the Anthropic SDK get
 * Anthropic's error shape (`{type:"error",error:{type,message}}`) with the same codes' meaning, the
 * limit's figures in the message, and Retry-After on rate limits.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let local: Upstream

before(async () => {
  local = await startOpenAIUpstream({ models: ['qwen3'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'local', kind: 'openai-compatible', settings: { baseUrl: local.url } })
})
after(async () => {
  await gw.stop()
  await local.close()
})

test('a rate limit is a 429 in Anthropic format with Retry-After', async () => {
  const key = await gw.admin('keys:create', { name: 'rl' })
  await gw.admin('limits:set', { scope: 'apiKey', id: key.id, policy: { rateLimits: [{ unit: 'requests', limit: 1, per: 'minute' }] } })
  const claude = new Anthropic({ baseURL: gw.url, apiKey: key.key, maxRetries: 0 })
  await claude.messages.create({ model: '@local/qwen3', max_tokens: 16, messages: [{ role: 'user', content: 'one' }] })
  const raw = await fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: '@local/qwen3', max_tokens: 16, messages: [{ role: 'user', content: 'two' }] }),
  })
  assert.equal(raw.status, 429)
  assert.ok(Number(raw.headers.get('retry-after')) > 0, 'Retry-After is set')
  const body = (await raw.json()) as { type: string; error: { type: string; message: string } }
  assert.equal(body.type, 'error')
  assert.equal(body.error.type, 'rate_limit_error')
  assert.match(body.error.message, /1 request/i)
  const err = await claude.messages.create({ model: '@local/qwen3', max_tokens: 16, messages: [{ role: 'user', content: 'three' }] }).catch((e: unknown) => e)
  assert.ok(err instanceof Anthropic.RateLimitError)
})

test('an exhausted token budget is refused in Anthropic format, naming the limit', async () => {
  const key = await gw.admin('keys:create', { name: 'budget' })
  await gw.admin('limits:set', { scope: 'apiKey', id: key.id, policy: { budgets: [{ unit: 'tokens', limitTokens: 50, period: { kind: 'monthly' } }] } })
  const claude = new Anthropic({ baseURL: gw.url, apiKey: key.key, maxRetries: 0 })
  const err = await claude.messages.create({ model: '@local/qwen3', max_tokens: 500, messages: [{ role: 'user', content: 'too big for the budget' }] }).catch((e: unknown) => e)
  assert.ok(err instanceof Anthropic.APIError)
  assert.equal(err.status, 412)
  const body = err.error as { type: string; error: { type: string; message: string } }
  assert.equal(body.type, 'error')
  assert.match(body.error.message, /budget/i)
  assert.match(body.error.message, /50/)
})
