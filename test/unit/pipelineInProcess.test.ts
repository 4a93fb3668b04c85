/**
 * The pipeline in-process: `handle` writes to an in-memory response, so routing (config fallback),
 * governance (a key refused a provider) and translation (an Anthropic caller streamed from an OpenAI
 * upstream) are checked without a gateway socket. The upstream is a local fake on 127.0.0.1.
 * What is about HTTP and real SDK clients stays in test/integration.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { handle, type GatewayDeps } from '../../main/gateway/pipeline.ts'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import type { GatewayRequest } from '../../main/gateway/types.ts'
import { openai } from '../../main/providers/openai.ts'
import { createRoutingTableHolder, type RouteKey, type RouteProvider, type RoutingTable } from '../../main/routing/RoutingTable.ts'
import { hashApiKey } from '../../main/store/apiKeysRepo.ts'
import type { NewUsage, UsageWriter } from '../../main/store/UsageWriter.ts'
import { Secret } from '../../main/vault/Secret.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { MemoryResponse } from '../support/memoryResponse.ts'

const KEY = 'sk-sy-inprocess-0123456789abcdef'
const LIMITED = 'sk-sy-limited-0123456789abcdef'
let upstream: Upstream
let rows: NewUsage[]
let deps: GatewayDeps

function provider(slug: string, baseUrl: string): RouteProvider {
  return {
    id: `prv_${slug}`,
    slug,
    name: slug,
    integrationId: `int_${slug}`,
    integrationSlug: slug,
    spec: openai,
    baseUrl,
    settings: {},
    apiKey: new Secret('sk-upstream-0123456789'),
    workspaceIds: null,
    models: new Set(['gpt-4o', 'error-500']),
    prices: new Map(openai.knownModels.map((m) => [m.id, m])),
    timeoutMs: 5000,
  }
}

const key = (id: string, extra: Partial<RouteKey> = {}): RouteKey => ({ id, name: id, workspaceId: 'ws_default', revoked: false, ...extra })

before(async () => {
  upstream = await startOpenAIUpstream({ models: ['gpt-4o'] })
  const table: RoutingTable = {
    version: 1,
    providers: new Map([['oa', provider('oa', upstream.url)], ['other', provider('other', upstream.url)]]),
    keysByHash: new Map([
      [hashApiKey(KEY), key('key_all')],
      [hashApiKey(LIMITED), key('key_limited', { providerSlugs: new Set(['other']) })],
    ]),
    workspaces: new Map([['ws_default', { slug: 'default', archived: false }]]),
    aliases: { byKey: new Map(), byWorkspace: new Map() },
  }
  const usage: UsageWriter = { enqueue: (row) => void rows.push(row), afterJournal: (then) => then(), flush() {}, pending: () => 0, onWritten() {}, close() {} }
  deps = { routes: createRoutingTableHolder(table), usage, userAgent: 'switchyard-test' }
})
after(() => upstream.close())

function request(path: string, headers: Record<string, string>, body: unknown): GatewayRequest {
  return { method: 'POST', path, headers, body: Buffer.from(JSON.stringify(body)), receivedAt: Date.now(), startedAt: performance.now() }
}

async function run(req: GatewayRequest, endpoint: 'chat' | 'messages'): Promise<{ res: MemoryResponse; error: GatewayError | null }> {
  rows = []
  const res = new MemoryResponse()
  try {
    await handle(req, res, endpoint, { aborted: false, onAbort: null }, deps)
  } catch (err) {
    assert.ok(err instanceof GatewayError, String(err))
    return { res, error: err }
  }
  await res.done()
  return { res, error: null }
}

test('a config falls back from a target that answers 500 to the next, and says which one answered', async () => {
  const config = { strategy: { mode: 'fallback' }, targets: [{ provider: '@oa', override_params: { model: 'error-500' } }, { provider: '@oa' }] }
  const { res, error } = await run(
    request('/v1/chat/completions', { authorization: `Bearer ${KEY}`, 'x-portkey-config': JSON.stringify(config) }, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    'chat',
  )
  assert.equal(error, null)
  assert.equal(res.status, 200)
  assert.equal(res.headers['x-portkey-last-used-option-index'], 'config.targets[1]')
  assert.equal(res.headers['x-portkey-retry-attempt-count'], '0')
  assert.equal((JSON.parse(res.text()) as { object: string }).object, 'chat.completion')
  assert.equal(rows.length, 1)
  assert.equal(rows[0]?.status, 200)
  assert.deepEqual(rows[0]?.attempts, [
    { target: '@oa/error-500', jsonPath: 'config.targets[0]', status: 500, retries: 0 },
    { target: '@oa/gpt-4o', jsonPath: 'config.targets[1]', status: 200, retries: 0 },
  ])
})

test('a target retried before falling back: its retries and every status are on the row; a breaker skips an open circuit', async () => {
  const open = new Set(['oa|error-500'])
  const config = {
    strategy: { mode: 'fallback' },
    targets: [{ provider: '@oa', override_params: { model: 'error-500' } }, { provider: '@other', override_params: { model: 'error-500' }, retry: { attempts: 2, on_status_codes: [500] } }, { provider: '@other' }],
  }
  const breaker = { allow: (k: string) => !open.has(k), failure() {}, success() {} }
  const saved = deps
  deps = { ...deps, breaker: breaker as unknown as NonNullable<GatewayDeps['breaker']>, sleep: async () => {} }
  try {
    const { res, error } = await run(
      request('/v1/chat/completions', { authorization: `Bearer ${KEY}`, 'x-portkey-config': JSON.stringify(config) }, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      'chat',
    )
    assert.equal(error, null)
    assert.equal(res.headers['x-portkey-retry-attempt-count'], '2')
    assert.deepEqual(rows[0]?.attempts, [
      { target: '@oa/error-500', jsonPath: 'config.targets[0]', status: null, retries: 0, skipped: 'circuit_open' },
      { target: '@other/error-500', jsonPath: 'config.targets[1]', status: 500, retries: 2 },
      { target: '@other/gpt-4o', jsonPath: 'config.targets[2]', status: 200, retries: 0 },
    ])
  } finally {
    deps = saved
  }
})

test('a request without a config leaves no attempt path on its row', async () => {
  await run(request('/v1/chat/completions', { authorization: `Bearer ${KEY}`, 'x-portkey-provider': '@oa' }, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }), 'chat')
  assert.equal(rows[0]?.status, 200)
  assert.equal(rows[0]?.attempts, undefined)
})

test('a key limited to other providers is refused before any upstream call, and the refusal leaves a row', async () => {
  const before = upstream.requests.length
  const { res, error } = await run(
    request('/v1/chat/completions', { authorization: `Bearer ${LIMITED}`, 'x-portkey-provider': '@oa' }, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    'chat',
  )
  assert.equal(error?.code, 'key_scope_denied')
  assert.equal(error?.status, 403)
  assert.equal(res.headersSent, false)
  assert.equal(upstream.requests.length, before)
  assert.equal(rows.length, 1)
  assert.equal(rows[0]?.status, 403)
})

test('an Anthropic caller streaming from an OpenAI upstream gets Anthropic events', async () => {
  const { res, error } = await run(
    request('/v1/messages', { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' }, { model: '@oa/gpt-4o', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    'messages',
  )
  assert.equal(error, null)
  assert.equal(res.status, 200)
  assert.match(String(res.headers['content-type']), /text\/event-stream/)
  const events = [...res.text().matchAll(/^event: (\S+)$/gm)].map((m) => m[1])
  assert.equal(events[0], 'message_start')
  assert.ok(events.includes('content_block_delta'))
  assert.equal(events.at(-1), 'message_stop')
  assert.equal(upstream.requests.at(-1)?.path, '/v1/chat/completions')
  assert.equal(rows.length, 1)
  assert.equal(rows[0]?.stream, true)
  assert.ok((rows[0]?.outputTokens ?? 0) > 0)
})
