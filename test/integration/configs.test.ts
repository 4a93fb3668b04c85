/**
 * Routing configs through real HTTP with the SDKs: saved and inline configs, fallback (also across
 * dialects), `on_status_codes`, retries, load balancing, conditional routing on metadata, the
 * exact-match cache, a circuit breaker, an API key's default config, and validation errors by path.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

let gw: TestGateway
let a: Upstream
let b: Upstream
let claude: Upstream
let key: string

const cfg = (c: unknown) => ({ 'x-portkey-config': JSON.stringify(c) })
const openai = (headers: Record<string, string> = {}) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: headers })
const ask = (c: OpenAI, content = 'hi', extra: Record<string, unknown> = {}) =>
  c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content }], ...extra }).withResponse()

before(async () => {
  a = await startOpenAIUpstream({ models: ['gpt-4o'] })
  b = await startOpenAIUpstream({ models: ['gpt-4o', 'gpt-4o-mini'] })
  claude = await startAnthropicUpstream({ apiKey: 'sk-ant-test-0123456789' })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'a', kind: 'openai-compatible', settings: { baseUrl: a.url } })
  await gw.admin('integrations:create', { slug: 'b', kind: 'openai-compatible', settings: { baseUrl: b.url } })
  await gw.admin('integrations:create', { slug: 'paid', kind: 'openai', apiKey: 'sk-paid-0123456789abcdef', settings: { baseUrl: b.url } })
  await gw.admin('integrations:create', { slug: 'claude', kind: 'anthropic', apiKey: 'sk-ant-test-0123456789', settings: { baseUrl: `${claude.url}/v1` } })
  key = await gw.newKey()
})
after(async () => {
  await gw.stop()
  await a.close()
  await b.close()
  await claude.close()
})

describe('strategies', () => {
  test('fallback: a failing first target falls through to the next; the header says which served', async () => {
    const c = openai(cfg({ strategy: { mode: 'fallback' }, targets: [{ provider: '@a', override_params: { model: 'error-500' } }, { provider: '@b' }] }))
    const { data, response } = await ask(c, 'fallback')
    assert.equal(data.choices[0]?.message.content, 'Hello from gpt-4o: fallback')
    assert.equal(response.headers.get('x-portkey-last-used-option-index'), 'config.targets[1]')
    assert.equal(response.headers.get('x-portkey-provider'), '@b')
  })

  test('on_status_codes: only the listed statuses fall through', async () => {
    const c = openai(cfg({ strategy: { mode: 'fallback', on_status_codes: [429] }, targets: [{ provider: '@a', override_params: { model: 'error-400' } }, { provider: '@b' }] }))
    const err = await ask(c).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.BadRequestError, 'a 400 is not in on_status_codes: returned as is')
  })

  test('loadbalance by weight (a zero weight is never picked)', async () => {
    const before = b.requests.length
    const c = openai(cfg({ strategy: { mode: 'loadbalance' }, targets: [{ provider: '@a', weight: 0 }, { provider: '@b', weight: 1 }] }))
    for (let i = 0; i < 5; i++) await ask(c)
    assert.equal(b.requests.length - before, 5)
  })

  test('conditional on metadata, with a default', async () => {
    const config = {
      strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.plan': { $eq: 'pro' } }, then: 'big' }], default: 'small' },
      targets: [
        { name: 'big', provider: '@b', override_params: { model: 'gpt-4o' } },
        { name: 'small', provider: '@b', override_params: { model: 'gpt-4o-mini' } },
      ],
    }
    const pro = await ask(openai({ ...cfg(config), 'x-portkey-metadata': JSON.stringify({ plan: 'pro' }) }))
    assert.equal(pro.data.choices[0]?.message.content, 'Hello from gpt-4o: hi')
    const free = await ask(openai({ ...cfg(config), 'x-portkey-metadata': JSON.stringify({ plan: 'free' }) }))
    assert.equal(free.data.choices[0]?.message.content, 'Hello from gpt-4o-mini: hi')
  })

  test('fallback across dialects: an Anthropic request falls back from Anthropic to an OpenAI-compatible target', async () => {
    const sdk = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0, defaultHeaders: cfg({ strategy: { mode: 'fallback' }, targets: [{ provider: '@claude', override_params: { model: 'claude-error-529' } }, { provider: '@b', override_params: { model: 'gpt-4o' } }] }) })
    const msg = await sdk.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'cross' }] })
    assert.equal(msg.content[0]?.type === 'text' && msg.content[0].text, 'Hello from gpt-4o: cross')
  })
})

describe('reliability', () => {
  test('retries repeat a failing call, then the error reaches the client with the retry count', async () => {
    const before = a.requests.length
    const c = openai(cfg({ retry: { attempts: 2 }, provider: '@a', override_params: { model: 'error-500' } }))
    const err = await ask(c).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.InternalServerError)
    assert.equal(a.requests.length - before, 3, 'one call and two retries')
  })

  test('a retry waits what Retry-After asks for', async () => {
    const before = a.requests.length
    const started = performance.now()
    const err = await ask(openai(cfg({ retry: { attempts: 1 }, provider: '@a', override_params: { model: 'error-429' } }))).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.RateLimitError)
    assert.equal(a.requests.length - before, 2)
    assert.ok(performance.now() - started >= 900, 'the upstream asked for 1 s (retry-after: 1)')
  })

  test('the circuit opens after repeated failures: the failing target is skipped', async () => {
    const config = { strategy: { mode: 'fallback' }, targets: [{ provider: '@a', override_params: { model: 'error-500-breaker' } }, { provider: '@b' }] }
    const c = openai(cfg(config))
    for (let i = 0; i < 6; i++) await ask(c)
    const before = a.requests.length
    await ask(c)
    assert.equal(a.requests.length, before, 'the open target is not called')
  })
})

describe('cache', () => {
  test('a repeated request is answered from the cache, logged with what it saved; force-refresh goes upstream', async () => {
    const config = { cache: { mode: 'simple', max_age: 60 }, provider: '@paid' }
    const c = openai(cfg(config))
    const before = b.requests.length
    const first = await ask(c, 'cache me')
    assert.equal(first.response.headers.get('x-portkey-cache-status'), 'MISS')
    const traceId = randomUUID()
    const second = await c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'cache me' }] }, { headers: { 'x-portkey-trace-id': traceId } }).withResponse()
    assert.equal(second.response.headers.get('x-portkey-cache-status'), 'HIT')
    assert.equal(second.data.choices[0]?.message.content, first.data.choices[0]?.message.content)
    assert.equal(b.requests.length - before, 1, 'the hit did not reach the upstream')
    const row = await usageFor(gw, traceId)
    assert.equal(row.metadata?.cache, 'HIT')
    assert.equal(row.costMicros, 0)
    assert.ok(Number(row.metadata?.cache_saved_micros) > 0, 'the hit records what the original answer cost')
    const refreshed = await c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'cache me' }] }, { headers: { 'x-portkey-cache-force-refresh': 'true' } }).withResponse()
    assert.equal(refreshed.response.headers.get('x-portkey-cache-status'), 'REFRESH')
    assert.equal(b.requests.length - before, 2)
  })
})

describe('guardrails attached to a config', () => {
  test('a config\'s guardrails redact what reaches the upstream, and block in the caller\'s format', async () => {
    const redact = { provider: '@b', guardrails: { input: [{ type: 'secrets', action: 'redact' }] } }
    const before = b.requests.length
    await ask(openai(cfg(redact)), 'my key is sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD please')
    const sent = JSON.stringify(b.requests.slice(before).at(-1)?.body)
    assert.doesNotMatch(sent, /sk-proj-abcdefghijklmnopqrstuvwxyz/)
    assert.match(sent, /REDACTED/)
    const block = { provider: '@b', guardrails: { input: [{ type: 'pii', action: 'block' }] } }
    const err = await ask(openai(cfg(block)), 'write to jane.doe@example.com').catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.BadRequestError)
    assert.equal(err.code, 'guardrail_blocked')
    const bad = await gw.adminRaw('configs:create', { slug: 'bad-guard', config: { provider: '@b', guardrails: { input: [{ type: 'regex', pattern: '(', action: 'block' }] } } })
    assert.equal(bad.status, 400)
  })
})

describe('saved configs and defaults', () => {
  test('saved by slug, versioned, selected with x-portkey-config, attached to a key as its default', async () => {
    const saved = await gw.admin('configs:create', { slug: 'resilient', config: { strategy: { mode: 'fallback' }, targets: [{ provider: '@a', override_params: { model: 'error-500' } }, { provider: '@b' }] } })
    assert.equal(saved.version, 1)
    const { data } = await ask(openai({ 'x-portkey-config': 'resilient' }), 'saved')
    assert.equal(data.choices[0]?.message.content, 'Hello from gpt-4o: saved')
    const v2 = await gw.admin('configs:update', { id: saved.id, config: { provider: '@b', override_params: { model: 'gpt-4o-mini' } } })
    assert.equal(v2.version, 2)
    assert.deepEqual((await gw.admin('configs:get', { id: 'resilient', version: 1 })).config, saved.config)
    const k = await gw.admin('keys:create', { name: 'with-default' })
    await gw.admin('keys:update', { id: k.id, defaultConfig: { provider: '@b', override_params: { model: 'gpt-4o-mini' } } })
    const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: k.key, maxRetries: 0 })
    const res = await c.chat.completions.create({ model: 'anything', messages: [{ role: 'user', content: 'default' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o-mini: default')
  })

  test('an invalid config is refused with the path to the field', async () => {
    const res = await gw.adminRaw('configs:create', { slug: 'bad', config: { strategy: { mode: 'fallback' }, targets: [{ provider: '@a' }, { provider: '@b', retry: { attempts: 99 } }] } })
    assert.equal(res.status, 400)
    const body = (await res.json()) as { error: { path: string } }
    assert.match(body.error.path, /targets\[1\]\.retry\.attempts/)
    const inline = await ask(openai(cfg({ strategy: { mode: 'sideways' }, targets: [] }))).catch((e: unknown) => e)
    assert.ok(inline instanceof OpenAI.BadRequestError)
    assert.match(inline.message, /strategy\.mode/)
  })

  test('configs:validate warns, by path, about providers that do not exist (yet) and still says valid', async () => {
    const config = {
      strategy: { mode: 'fallback' },
      targets: [
        { provider: '@a' },
        { provider: '@nope' },
        { virtual_key: 'ghost' },
        { provider: 'openai', override_params: { model: '@ignored/gpt-4o' } },
        { strategy: { mode: 'loadbalance' }, targets: [{ provider: '@b' }, { provider: '@deep-gone' }] },
      ],
    }
    const v = (await gw.admin('configs:validate', { config })) as { ok: boolean; errors: unknown[]; warnings: Array<{ path: string; message: string }> }
    assert.equal(v.ok, true)
    assert.deepEqual(v.errors, [])
    assert.deepEqual(
      v.warnings.map((w) => w.path),
      ['targets[1].provider', 'targets[2].virtual_key', 'targets[4].targets[1].provider'],
    )
    assert.match(v.warnings[0]?.message ?? '', /@nope/)
    const clean = (await gw.admin('configs:validate', { config: { provider: '@a' } })) as { warnings: unknown[] }
    assert.deepEqual(clean.warnings, [])
  })
})
