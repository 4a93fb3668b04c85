/**
 * The desktop commands through the real gateway: a paused gateway answers 503 `gateway_paused` in the
 * caller's own format (OpenAI and Anthropic SDKs) and serves again on resume; "+$5 today" lets an
 * exhausted budget through until midnight, is its own row, and shows in the limit; Claude Code's
 * route switches between configured choices; launch at login is refused where the app cannot set it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

const UPSTREAM_KEY = 'sk-upstream-desktop-0123456789'
let gw: TestGateway
let upstream: Upstream
let key: string

before(async () => {
  upstream = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url } })
  await gw.admin('integrations:create', { slug: 'backup', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url } })
  key = await gw.newKey('desktop')
})

after(async () => {
  await gw.stop()
  await upstream.close()
})

const openai = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
const chat = (client = openai()) => client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 })

describe('pause', () => {
  test('paused: 503 gateway_paused in the OpenAI and the Anthropic format, nothing reaches the provider; resume serves again', async () => {
    const before = upstream.requests.length
    assert.deepEqual(await gw.admin('gateway:setPaused', { paused: true }), { paused: true, pausedAt: (await gw.admin('gateway:state', {})).pausedAt })
    const e1 = await chat().then(() => assert.fail('served while paused'), (e: unknown) => e)
    assert.ok(e1 instanceof OpenAI.APIError)
    assert.equal(e1.status, 503)
    assert.equal(e1.code, 'gateway_paused')
    assert.match(e1.message, /paused/)
    assert.equal(e1.headers?.get('retry-after'), '30')
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
    const e2 = await anthropic.messages.create({ model: '@openai/gpt-4o', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).then(() => assert.fail('served while paused'), (e: unknown) => e)
    assert.ok(e2 instanceof Anthropic.APIError)
    assert.equal(e2.status, 503)
    assert.equal((e2.error as { type?: string; error?: { type?: string } })?.type, 'error', 'Anthropic error envelope')
    assert.equal(upstream.requests.length, before, 'no call reached the provider')
    await gw.admin('gateway:setPaused', { paused: false })
    assert.ok((await chat()).choices[0])
  })
})

describe('top-up', () => {
  test('an exhausted budget refuses; "+$5 today" lets calls through, is its own row and shows in the limit', async () => {
    const w = await gw.admin('workspaces:create', { slug: 'topup' })
    const k = await gw.admin('keys:create', { name: 'k', workspaceId: w.id })
    await gw.admin('limits:set', { scope: 'workspace', id: w.id, policy: { budgets: [{ unit: 'usd', limitMicros: 1, period: { kind: 'monthly' } }] } })
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: k.key, maxRetries: 0 })
    await chat(client).catch(() => undefined) // may fit the first micro-dollar
    const refused = await chat(client).then(() => null, (e: unknown) => e)
    assert.ok(refused instanceof OpenAI.APIError && refused.status === 412, 'exhausted')

    await assert.rejects(gw.admin('budgets:topUp', { scope: 'workspace', id: 'ws_default' }), /no USD budget/)
    await gw.admin('app:settings:set', { topUpMicros: 2_000_000 })
    const grant = await gw.admin('budgets:topUp', { scope: 'workspace', id: 'topup' })
    assert.equal(grant.amountMicros, 2_000_000, 'the configured amount')
    assert.equal(grant.scopeId, w.id, 'slugs resolve to ids')
    assert.ok(grant.expiresAt > grant.grantedAt && grant.expiresAt - grant.grantedAt <= 25 * 3_600_000, 'expires by the next midnight')
    assert.ok((await chat(client)).choices[0], 'admitted after the top-up')
    const [counter] = await gw.admin('limits:status', { scope: 'workspace', id: w.id })
    assert.equal(counter?.limit, 2_000_001)
    assert.deepEqual((await gw.admin('budgets:grants', { scope: 'workspace', id: w.id })).map((g) => g.id), [grant.id])
  })
})

describe('Claude Code route and login item', () => {
  test('switching between configured choices rewrites only the claude-* alias', async () => {
    await gw.admin('aliases:set', { workspaceId: 'ws_default', aliases: [{ pattern: 'gpt-fast', target: '@openai/gpt-4o-mini' }] })
    await assert.rejects(gw.admin('app:settings:set', { claudeRoutes: [{ name: 'Bad', target: 'openai/gpt-4o' }] }), /@provider-slug/)
    await gw.admin('app:settings:set', { claudeRoutes: [{ name: 'Main', target: '@openai/gpt-4o' }, { name: 'Backup', target: '@backup/gpt-4o' }] })
    assert.deepEqual(await gw.admin('claudeRoute:get', {}), { choices: [{ name: 'Main', target: '@openai/gpt-4o' }, { name: 'Backup', target: '@backup/gpt-4o' }], current: null })
    assert.equal((await gw.admin('claudeRoute:set', { name: 'Backup' })).current, 'Backup')
    assert.deepEqual(await gw.admin('aliases:list', { workspaceId: 'ws_default' }), [{ pattern: 'claude-*', target: '@backup/gpt-4o' }, { pattern: 'gpt-fast', target: '@openai/gpt-4o-mini' }])
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
    const before = upstream.requests.length
    await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
    assert.equal(upstream.requests.length, before + 1, 'a Claude model name now reaches the chosen route')
    assert.equal((await gw.admin('claudeRoute:set', { name: 'Main' })).current, 'Main')
    await assert.rejects(gw.admin('claudeRoute:set', { name: 'Nope' }), /no Claude Code route/)
  })

  test('launch at login: reported unsupported and refused outside the desktop app', async () => {
    assert.deepEqual(await gw.admin('app:loginItem:get', {}), { supported: false, enabled: false, mechanism: 'none' })
    await assert.rejects(gw.admin('app:loginItem:set', { enabled: true }), /desktop app only/)
  })
})
