/**
 * Requests written for Portkey's gateway, unchanged, through Switchyard over real HTTP (issue 14):
 * the caller's provider keys reach each upstream in the form that provider documents (the Anthropic
 * fake checks auth as the real API does: keys only in `x-api-key`, Bearer only for OAuth tokens,
 * `anthropic-version` required; the OpenAI fake checks Bearer and organization/project), request
 * timeouts answer 408, configs holding only retry/cache/timeout combine with the headers, model lists
 * from custom hosts, self-hosted paths, `strict_open_ai_compliance`, forwarded headers, and Portkey's
 * response headers on errors Switchyard makes itself.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream, type AnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startAzureUpstream } from '../support/upstreams/azureUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { RecordedRequest, Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

const ANTHROPIC_KEY = 'sk-ant-api03-portkey-dropin-0123456789'
const OAUTH_TOKEN = 'sk-ant-oat01-portkey-dropin-0123456789'
const OPENAI_KEY = 'sk-openai-dropin-0123456789abcdef'
const AZURE_KEY = 'azure-dropin-0123456789abcdef0123'
const ENTRA_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-dropin'

let gw: TestGateway
let claude: AnthropicUpstream
let oai: Upstream
let ollama: Upstream
let key: string

before(async () => {
  claude = await startAnthropicUpstream({ apiKey: ANTHROPIC_KEY, documentedAuth: { oauthToken: OAUTH_TOKEN } })
  oai = await startOpenAIUpstream({ apiKey: OPENAI_KEY, organization: 'org-dropin', project: 'proj_dropin' })
  ollama = await startOpenAIUpstream({ models: ['llama3.2'] })
  gw = await startTestGateway()
  key = await gw.newKey()
})

after(async () => {
  await gw.stop()
  await claude.close()
  await oai.close()
  await ollama.close()
})

const messages = [{ role: 'user' as const, content: 'hi' }]
const claudeHost = () => `${claude.url}/v1`
const ollamaRoot = () => ollama.url.replace(/\/v1$/, '')

/** Portkey's headers for a provider kind at a custom host, the Switchyard key in x-portkey-api-key. */
const portkey = (provider: string, customHost: string, extra: Record<string, string> = {}) => ({
  'x-portkey-api-key': key,
  'x-portkey-provider': provider,
  'x-portkey-custom-host': customHost,
  ...extra,
})

const config = (c: unknown) => ({ 'x-portkey-config': JSON.stringify(c) })

async function post(path: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
}

/** The requests an upstream received while `run` ran. */
async function sentDuring<T>(up: { requests: RecordedRequest[] }, run: () => Promise<T>): Promise<{ result: T; sent: RecordedRequest[] }> {
  const before = up.requests.length
  const result = await run()
  return { result, sent: up.requests.slice(before) }
}

function noSwitchyardKey(r: RecordedRequest | undefined): void {
  assert.ok(r, 'the upstream got the request')
  assert.ok(!JSON.stringify(r.headers).includes(key), 'the Switchyard key stays at the gateway')
}

describe('1. caller keys in the form each provider documents', () => {
  test('Anthropic at a custom host, key in x-api-key (Anthropic SDK): x-api-key and an anthropic-version upstream', async () => {
    const sdk = new Anthropic({ baseURL: gw.url, apiKey: ANTHROPIC_KEY, maxRetries: 0, defaultHeaders: portkey('anthropic', claudeHost()) })
    const { result, sent } = await sentDuring(claude, () => sdk.messages.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages }))
    assert.equal(result.content[0]?.type === 'text' && result.content[0].text, 'Hello from claude-haiku-4-5-20251001: hi')
    assert.equal(sent[0]?.headers['x-api-key'], ANTHROPIC_KEY)
    assert.ok(sent[0]?.headers['anthropic-version'], 'the SDK\'s anthropic-version')
    noSwitchyardKey(sent[0])
  })

  test('Anthropic at a custom host, key as Authorization: Bearer: rewritten to x-api-key', async () => {
    const { result, sent } = await sentDuring(claude, () =>
      post('/v1/messages', { ...portkey('anthropic', claudeHost()), authorization: `Bearer ${ANTHROPIC_KEY}`, 'anthropic-version': '2023-06-01' }, { model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages }),
    )
    assert.equal(result.status, 200, await result.clone().text())
    assert.equal(sent[0]?.headers['x-api-key'], ANTHROPIC_KEY)
    assert.equal(sent[0]?.headers.authorization, undefined)
  })

  test('translated calls (chat and responses in, Anthropic out) send x-api-key and anthropic-version', async () => {
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: ANTHROPIC_KEY, maxRetries: 0, defaultHeaders: portkey('anthropic', claudeHost()) })
    const chat = await sentDuring(claude, () => sdk.chat.completions.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages }))
    assert.equal(chat.result.choices[0]?.message.content, 'Hello from claude-haiku-4-5-20251001: hi')
    const resp = await sentDuring(claude, () => sdk.responses.create({ model: 'claude-haiku-4-5-20251001', max_output_tokens: 20, input: 'hi' }))
    assert.equal(resp.result.output_text, 'Hello from claude-haiku-4-5-20251001: hi')
    for (const r of [chat.sent[0], resp.sent[0]]) {
      assert.equal(r?.headers['x-api-key'], ANTHROPIC_KEY)
      assert.equal(r?.headers['anthropic-version'], '2023-06-01')
      assert.equal(r?.headers.authorization, undefined)
      noSwitchyardKey(r)
    }
  })

  test('an Anthropic OAuth token (Claude Max) stays a Bearer token, the only form Anthropic takes it in', async () => {
    const { result, sent } = await sentDuring(claude, () =>
      post('/v1/messages', { ...portkey('anthropic', claudeHost()), authorization: `Bearer ${OAUTH_TOKEN}`, 'anthropic-version': '2023-06-01' }, { model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages }),
    )
    assert.equal(result.status, 200, await result.clone().text())
    assert.equal(sent[0]?.headers.authorization, `Bearer ${OAUTH_TOKEN}`)
    assert.equal(sent[0]?.headers['x-api-key'], undefined)
  })

  test('OpenAI with the caller\'s key in x-api-key: written as Authorization: Bearer', async () => {
    const { result, sent } = await sentDuring(oai, () => post('/v1/chat/completions', { ...portkey('openai', oai.url), 'x-api-key': OPENAI_KEY }, { model: 'gpt-4o', messages }))
    assert.equal(result.status, 200, await result.clone().text())
    assert.equal(sent[0]?.headers.authorization, `Bearer ${OPENAI_KEY}`)
    assert.equal(sent[0]?.headers['x-api-key'], undefined)
  })

  test('Azure named by Portkey\'s headers: the key as api-key, an Entra token as Bearer', async () => {
    const az = await startAzureUpstream({ apiKey: AZURE_KEY, deployments: { chat: 'gpt-4o' }, apiVersions: ['2024-10-21'], documentedAuth: { entraToken: ENTRA_TOKEN } })
    try {
      const azure = { 'x-portkey-custom-host': az.url, 'x-portkey-azure-deployment-id': 'chat', 'x-portkey-azure-api-version': '2024-10-21' }
      const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: AZURE_KEY, maxRetries: 0, defaultHeaders: { 'x-portkey-api-key': key, 'x-portkey-provider': 'azure-openai', ...azure } })
      const { result, sent } = await sentDuring(az, () => sdk.chat.completions.create({ model: 'gpt-4o', messages }))
      assert.equal(result.choices[0]?.message.content, 'Hello from gpt-4o: hi')
      assert.equal(sent[0]?.path, '/openai/deployments/chat/chat/completions?api-version=2024-10-21')
      assert.equal(sent[0]?.headers['api-key'], AZURE_KEY)
      assert.equal(sent[0]?.headers.authorization, undefined)
      noSwitchyardKey(sent[0])
      const entra = await sentDuring(az, () => post('/v1/chat/completions', { authorization: `Bearer ${key}`, 'x-portkey-provider': 'azure-openai', ...azure, 'x-portkey-azure-ad-token': ENTRA_TOKEN }, { messages }))
      assert.equal(entra.result.status, 200, await entra.result.clone().text())
      assert.equal(entra.sent[0]?.headers.authorization, `Bearer ${ENTRA_TOKEN}`)
    } finally {
      await az.close()
    }
  })

  test('a config target\'s api_key for Anthropic goes as x-api-key', async () => {
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: config({ provider: 'anthropic', api_key: ANTHROPIC_KEY, custom_host: claudeHost() }) })
    const { result, sent } = await sentDuring(claude, () => sdk.chat.completions.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages }))
    assert.equal(result.choices[0]?.message.content, 'Hello from claude-haiku-4-5-20251001: hi')
    assert.equal(sent[0]?.headers['x-api-key'], ANTHROPIC_KEY)
    assert.equal(sent[0]?.headers['anthropic-version'], '2023-06-01')
  })
})

describe('2. request timeouts answer 408', () => {
  test('x-portkey-request-timeout: 408 timeout_error, not 504', async () => {
    const traceId = randomUUID()
    const res = await post('/v1/chat/completions', { ...portkey('openai', oai.url), authorization: `Bearer ${OPENAI_KEY}`, 'x-portkey-request-timeout': '50', 'x-portkey-trace-id': traceId }, { model: 'slow-first-byte', messages })
    assert.equal(res.status, 408)
    const body = (await res.json()) as { error: { type: string; code: string } }
    assert.equal(body.error.type, 'timeout_error')
    assert.equal(body.error.code, 'upstream_timeout')
    assert.equal((await usageFor(gw, traceId)).status, 408)
  })

  test('the documented fallback on_status_codes: [408] moves on to the next target', async () => {
    const target = { provider: 'openai', custom_host: oai.url, api_key: OPENAI_KEY }
    const sdk = new OpenAI({
      baseURL: `${gw.url}/v1`,
      apiKey: key,
      maxRetries: 0,
      defaultHeaders: config({ strategy: { mode: 'fallback', on_status_codes: [408] }, targets: [{ ...target, request_timeout: 50, override_params: { model: 'slow-first-byte' } }, { ...target, override_params: { model: 'gpt-4o' } }] }),
    })
    const { data, response } = await sdk.chat.completions.create({ model: 'x', messages }).withResponse()
    assert.equal(data.choices[0]?.message.content, 'Hello from gpt-4o: hi')
    assert.equal(response.headers.get('x-portkey-last-used-option-index'), 'config.targets[1]')
    assert.equal(response.headers.get('x-portkey-retry-attempt-count'), '0')
  })
})

describe('3. a config holding only retry, cache or request_timeout combines with the headers', () => {
  const headers = (c: unknown) => ({ ...portkey('openai', oai.url), authorization: `Bearer ${OPENAI_KEY}`, ...config(c) })

  test('retry only: the headers name provider, host and key; retries happen', async () => {
    const { result, sent } = await sentDuring(oai, () => post('/v1/chat/completions', headers({ retry: { attempts: 2, on_status_codes: [500] } }), { model: 'error-500', messages }))
    assert.equal(result.status, 500)
    assert.equal(sent.length, 3)
    assert.equal(result.headers.get('x-portkey-retry-attempt-count'), '2')
    assert.equal(sent[0]?.headers.authorization, `Bearer ${OPENAI_KEY}`)
    const ok = await post('/v1/chat/completions', headers({ retry: { attempts: 2 } }), { model: 'gpt-4o', messages })
    assert.equal(ok.status, 200, await ok.clone().text())
  })

  test('cache only, request_timeout only: accepted and applied', async () => {
    const first = await post('/v1/chat/completions', headers({ cache: { mode: 'simple' } }), { model: 'gpt-4o', messages: [{ role: 'user', content: 'cache me' }] })
    assert.equal(first.headers.get('x-portkey-cache-status'), 'MISS', await first.clone().text())
    const second = await post('/v1/chat/completions', headers({ cache: { mode: 'simple' } }), { model: 'gpt-4o', messages: [{ role: 'user', content: 'cache me' }] })
    assert.equal(second.headers.get('x-portkey-cache-status'), 'HIT')
    const slow = await post('/v1/chat/completions', headers({ request_timeout: 50 }), { model: 'slow-first-byte', messages })
    assert.equal(slow.status, 408)
  })

  test('retry on 408 with the documented pattern: retried, then the count and option index on the error', async () => {
    const { result, sent } = await sentDuring(oai, () => post('/v1/chat/completions', headers({ request_timeout: 50, retry: { attempts: 1, on_status_codes: [408] } }), { model: 'slow-first-byte', messages }))
    assert.equal(result.status, 408)
    assert.equal(sent.length, 2)
    assert.equal(result.headers.get('x-portkey-retry-attempt-count'), '1')
    assert.equal(result.headers.get('x-portkey-last-used-option-index'), 'config')
  })

  test('an empty config is still refused', async () => {
    const res = await post('/v1/chat/completions', headers({}), { model: 'gpt-4o', messages })
    assert.equal(res.status, 400)
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /x-portkey-config\.provider: required/)
  })
})

describe('4. GET /v1/models with a provider kind and a custom host', () => {
  test('lists the upstream\'s models (Ollama written without /v1)', async () => {
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: { 'x-portkey-provider': 'ollama', 'x-portkey-custom-host': ollamaRoot() } })
    const ids: string[] = []
    for await (const m of sdk.models.list()) ids.push(m.id)
    assert.deepEqual(ids, ['llama3.2'])
    assert.equal(ollama.requests.at(-1)?.path, '/v1/models')
  })

  test('Anthropic: its list, fetched with x-api-key and anthropic-version', async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { ...portkey('anthropic', claudeHost()), 'x-api-key': ANTHROPIC_KEY } })
    assert.equal(res.status, 200, await res.clone().text())
    const body = (await res.json()) as { object: string; data: Array<{ id: string }> }
    assert.equal(body.object, 'list')
    assert.ok(body.data.some((m) => m.id === 'claude-haiku-4-5-20251001'))
    assert.equal(claude.requests.at(-1)?.headers['x-api-key'], ANTHROPIC_KEY)
  })

  test('an upstream refusal keeps its status', async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { ...portkey('openai', oai.url), authorization: 'Bearer wrong-key' } })
    assert.equal(res.status, 401)
  })
})

describe('5. each self-hosted kind knows its own path', () => {
  for (const [label, host] of [['http://host:port', () => ollamaRoot()], ['http://host:port/', () => `${ollamaRoot()}/`], ['http://host:port/v1', () => ollama.url]] as const) {
    test(`Ollama at ${label}`, async () => {
      const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: { 'x-portkey-provider': 'ollama', 'x-portkey-custom-host': host() } })
      const { result, sent } = await sentDuring(ollama, () => sdk.chat.completions.create({ model: 'llama3.2', messages }))
      assert.equal(result.choices[0]?.message.content, 'Hello from llama3.2: hi')
      assert.equal(sent[0]?.path, '/v1/chat/completions')
    })
  }

  test('a catalog Ollama integration whose base URL lacks /v1 too', async () => {
    await gw.admin('integrations:create', { slug: 'ollama-root', kind: 'ollama', settings: { baseUrl: ollamaRoot() } })
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
    const { result, sent } = await sentDuring(ollama, () => sdk.chat.completions.create({ model: '@ollama-root/llama3.2', messages }))
    assert.equal(result.choices[0]?.message.content, 'Hello from llama3.2: hi')
    assert.equal(sent[0]?.path, '/v1/chat/completions')
  })
})

describe('6. strict_open_ai_compliance', () => {
  const sdk = (extra: Record<string, string> = {}) =>
    new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: ANTHROPIC_KEY, maxRetries: 0, defaultHeaders: { ...portkey('anthropic', claudeHost()), ...extra } })
  type Loose = { content_blocks?: Array<{ type: string; text?: string; thinking?: string }> }

  test('default (strict): OpenAI fields only', async () => {
    const res = await sdk().chat.completions.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages })
    assert.equal(res.choices[0]?.finish_reason, 'stop')
    assert.equal((res.choices[0]?.message as Loose).content_blocks, undefined)
  })

  test('header false: Anthropic content blocks and stop reason in the chat answer', async () => {
    const res = await sdk({ 'x-portkey-strict-open-ai-compliance': 'false' }).chat.completions.create({ model: 'claude-thinking', max_tokens: 20, messages })
    const message = res.choices[0]?.message as Loose & { content: string }
    assert.equal(res.choices[0]?.finish_reason as string, 'end_turn')
    assert.deepEqual(message.content_blocks?.map((b) => b.type), ['thinking', 'text'])
    assert.equal(message.content_blocks?.[1]?.text, message.content)
  })

  test('config key false: the same; a stream carries content_blocks deltas and the raw stop reason', async () => {
    const c = sdk(config({ provider: 'anthropic', custom_host: claudeHost(), api_key: ANTHROPIC_KEY, strict_open_ai_compliance: false }))
    const whole = await c.chat.completions.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages })
    assert.equal(whole.choices[0]?.finish_reason as string, 'end_turn')
    assert.equal((whole.choices[0]?.message as Loose).content_blocks?.[0]?.text, 'Hello from claude-haiku-4-5-20251001: hi')
    const stream = await c.chat.completions.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages, stream: true })
    let text = ''
    let blocksText = ''
    let finish: string | null = null
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; content_blocks?: Array<{ index: number; delta: { text?: string } }> } | undefined
      text += delta?.content ?? ''
      for (const b of delta?.content_blocks ?? []) blocksText += b.delta.text ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
    }
    assert.equal(text, 'Hello from claude-haiku-4-5-20251001: hi')
    assert.equal(blocksText, text)
    assert.equal(finish, 'end_turn')
  })

  test('a config may set it back to strict over the header', async () => {
    const c = sdk({ 'x-portkey-strict-open-ai-compliance': 'false', ...config({ provider: 'anthropic', custom_host: claudeHost(), api_key: ANTHROPIC_KEY, strict_open_ai_compliance: true }) })
    const res = await c.chat.completions.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 20, messages })
    assert.equal(res.choices[0]?.finish_reason, 'stop')
  })
})

describe('7. forwarded headers', () => {
  test('x-portkey-forward-headers: x-api-key forwards the caller\'s own x-api-key', async () => {
    const { result, sent } = await sentDuring(ollama, () =>
      post('/v1/chat/completions', { authorization: `Bearer ${key}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': ollama.url, 'x-api-key': 'proxy-key-123', 'x-portkey-forward-headers': 'x-api-key' }, { model: 'llama3.2', messages }),
    )
    assert.equal(result.status, 200)
    assert.equal(sent[0]?.headers['x-api-key'], 'proxy-key-123')
    noSwitchyardKey(sent[0])
  })

  test('the header that carried the Switchyard key is never forwarded, whatever the list says', async () => {
    for (const carried of [{ 'x-api-key': key }, { authorization: `Bearer ${key}` }] as Array<Record<string, string>>) {
      const { result, sent } = await sentDuring(ollama, () =>
        post('/v1/chat/completions', { ...carried, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': ollama.url, 'x-portkey-forward-headers': 'x-api-key, authorization' }, { model: 'llama3.2', messages }),
      )
      assert.equal(result.status, 200)
      noSwitchyardKey(sent[0])
    }
  })

  test('x-portkey-openai-organization and -project go upstream as OpenAI-Organization and OpenAI-Project', async () => {
    const headers = { ...portkey('openai', oai.url), authorization: `Bearer ${OPENAI_KEY}` }
    const { result, sent } = await sentDuring(oai, () => post('/v1/chat/completions', { ...headers, 'x-portkey-openai-organization': 'org-dropin', 'x-portkey-openai-project': 'proj_dropin' }, { model: 'gpt-4o', messages }))
    assert.equal(result.status, 200)
    assert.equal(sent[0]?.headers['openai-organization'], 'org-dropin')
    assert.equal(sent[0]?.headers['openai-project'], 'proj_dropin')
    // OpenAI refuses an organization the key is not in: the header reached it.
    const wrong = await post('/v1/chat/completions', { ...headers, 'x-portkey-openai-organization': 'org-other' }, { model: 'gpt-4o', messages })
    assert.equal(wrong.status, 401)
  })
})

describe('8. errors Switchyard makes after retries or fallbacks carry Portkey\'s headers', () => {
  test('every target unreachable: 502 with the last option index and the retry count', async () => {
    const dead = { provider: 'openai', custom_host: 'http://127.0.0.1:1/v1', api_key: OPENAI_KEY }
    const res = await post('/v1/chat/completions', { authorization: `Bearer ${key}`, ...config({ strategy: { mode: 'fallback' }, targets: [dead, { ...dead, retry: { attempts: 1, on_status_codes: [502] } }] }) }, { model: 'gpt-4o', messages })
    assert.equal(res.status, 502)
    assert.equal(res.headers.get('x-portkey-last-used-option-index'), 'config.targets[1]')
    assert.equal(res.headers.get('x-portkey-retry-attempt-count'), '1')
  })

  test('without a config, no option headers', async () => {
    const res = await post('/v1/chat/completions', { ...portkey('openai', 'http://127.0.0.1:1/v1'), authorization: `Bearer ${OPENAI_KEY}` }, { model: 'gpt-4o', messages })
    assert.equal(res.status, 502)
    assert.equal(res.headers.get('x-portkey-last-used-option-index'), null)
  })
})
