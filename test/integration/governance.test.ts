/**
 * Governance through real HTTP with the real `openai` SDK: budgets (the race at the edge, 412 with
 * the limit named), rate limits (429 with Retry-After), concurrency, model access, provisioning, API
 * key expiry/scopes/defaults, alert events, and counters that survive a restart.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import type { BudgetAlert, LimitPolicy, Result } from '../../preload/contract.ts'
import { startSwitchyard } from '../../main/startSwitchyard.ts'
import { keyFileStore } from '../../main/vault/keyFileStore.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

const UPSTREAM_KEY = 'sk-upstream-governance-0123456789'

let gw: TestGateway
let upstream: Upstream
let integrationId: string

const sdk = (key: string, maxRetries = 0) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries })
const chat = (client: OpenAI, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16, ...extra } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, { headers })

async function refused(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await p
  } catch (err) {
    if (err instanceof OpenAI.APIError) return err
    throw err
  }
  assert.fail('expected the call to be refused')
}

/** A fresh workspace with its own key, so each test's limits stand alone. */
async function workspace(): Promise<{ id: string; key: string; keyId: string }> {
  const w = await gw.admin('workspaces:create', { slug: `ws-${randomUUID().slice(0, 8)}` })
  const k = await gw.admin('keys:create', { name: 'k', workspaceId: w.id })
  return { id: w.id, key: k.key, keyId: k.id }
}

const setLimits = (scope: string, id: string, policy: LimitPolicy | null) => gw.admin('limits:set', { scope, id, policy })

before(async () => {
  upstream = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
  gw = await startTestGateway()
  integrationId = (await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url } })).id
})

after(async () => {
  await gw.stop()
  await upstream.close()
})

describe('budgets', () => {
  test('100 concurrent calls at the edge of a budget never push spend past it; the refusals say which limit, the spend and the reset', async () => {
    const ws = await workspace()
    const limitMicros = 3000
    await setLimits('workspace', ws.id, { budgets: [{ unit: 'usd', limitMicros, period: { kind: 'monthly' } }] })
    const client = sdk(ws.key)
    upstream.setBehaviour('slow-first-byte') // all 100 overlap
    let results: Array<PromiseSettledResult<unknown>>
    try {
      results = await Promise.allSettled(Array.from({ length: 100 }, () => chat(client)))
    } finally {
      upstream.setBehaviour(undefined)
    }
    const ok = results.filter((r) => r.status === 'fulfilled').length
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as InstanceType<typeof OpenAI.APIError>] : []))
    assert.ok(ok > 0, 'some calls fit')
    assert.ok(errors.length > 0, 'some calls did not')
    for (const e of errors) {
      assert.equal(e.status, 412)
      assert.equal(e.code, 'budget_exceeded')
      assert.equal(e.type, 'insufficient_quota')
    }
    const first = errors[0] as InstanceType<typeof OpenAI.APIError>
    assert.match(first.message, /monthly USD budget of workspace 'ws-[0-9a-f]+'/)
    assert.match(first.message, /spent \$[\d.]+ of \$0\.003/)
    assert.match(first.message, /resets at \d{4}-\d{2}-01T/)
    const limit = (first.error as { limit?: Record<string, unknown> }).limit
    assert.equal(limit?.scope, 'workspace')
    assert.equal(limit?.scope_id, ws.id)
    assert.equal(limit?.unit, 'usd')
    assert.equal(limit?.limit, limitMicros)
    assert.equal(first.headers?.get('x-should-retry'), 'false')
    // Spend as booked by the counter and as written to the usage table: never past the budget.
    const [counter] = await gw.admin('limits:status', { scope: 'workspace', id: ws.id })
    assert.ok(counter && counter.used <= limitMicros && counter.reserved === 0, JSON.stringify(counter))
    const rows = await gw.admin('usage:query', { workspaceId: ws.id, limit: 1000 })
    const spent = rows.reduce((s, r) => s + (r.costMicros ?? 0), 0)
    assert.equal(spent, counter.used)
    assert.equal(rows.filter((r) => r.status === 412).length, errors.length, 'refused calls leave usage rows too')
    assert.ok(rows.filter((r) => r.status === 412).every((r) => r.admitted === false))
    // Keep calling one by one until the budget refuses: still never past it.
    for (let i = 0; i < 50; i++) {
      try {
        await chat(client)
      } catch {
        break
      }
    }
    const [end] = await gw.admin('limits:status', { scope: 'workspace', id: ws.id })
    assert.ok(end && end.used <= limitMicros)
  })

  test('an exhausted budget disables the provider for that scope until the user raises it', async () => {
    const ws = await workspace()
    await setLimits('apiKey', ws.keyId, { budgets: [{ unit: 'tokens', limitTokens: 10, period: { kind: 'none' } }] })
    const client = sdk(ws.key)
    const e = await refused(chat(client, { max_tokens: 1000 }))
    assert.equal(e.code, 'budget_exceeded')
    assert.match(e.message, /total token budget of API key 'k' cannot cover this call/)
    assert.match(e.message, /it does not reset by itself/)
    await setLimits('apiKey', ws.keyId, { budgets: [{ unit: 'tokens', limitTokens: 100_000, period: { kind: 'none' } }] })
    const res = await chat(client)
    assert.ok(res.choices[0]?.message.content)
    const other = await workspace()
    assert.ok((await chat(sdk(other.key))).id, 'other scopes are not affected')
  })

  test('alert events at 50, 80 and 100 % through the control service', async () => {
    const ws = await workspace()
    const alerts: BudgetAlert[] = []
    const off = gw.running.control.on('budget:thresholdCrossed', (a) => alerts.push(a))
    try {
      const first = await chat(sdk(ws.key))
      const second = await chat(sdk(ws.key))
      const tokens = (first.usage?.total_tokens ?? 0) + (second.usage?.total_tokens ?? 0)
      assert.ok(tokens > 0)
      // A budget of three times what was spent: rebuilt from the usage table, and a third is under 50 %.
      await setLimits('workspace', ws.id, { budgets: [{ unit: 'tokens', limitTokens: tokens * 3, period: { kind: 'weekly' } }] })
      const [c] = await gw.admin('limits:status', { scope: 'workspace', id: ws.id })
      assert.equal(c?.used, tokens, 'the counter was rebuilt from the usage table')
      await new Promise((r) => setTimeout(r, 20))
      assert.equal(alerts.length, 0)
      // Lowered to 1.5 × spent (66 %): 50 % is crossed. Lowered to what was spent: 80 and 100 %.
      await setLimits('workspace', ws.id, { budgets: [{ unit: 'tokens', limitTokens: Math.floor(tokens * 1.5), period: { kind: 'weekly' } }] })
      await setLimits('workspace', ws.id, { budgets: [{ unit: 'tokens', limitTokens: tokens, period: { kind: 'weekly' } }] })
      await new Promise((r) => setTimeout(r, 20))
      assert.deepEqual(alerts.map((a) => [a.threshold, a.limit]), [[50, Math.floor(tokens * 1.5)], [50, tokens], [80, tokens], [100, tokens]])
      const last = alerts.at(-1)
      assert.equal(last?.label, `workspace '${(await gw.admin('workspaces:list', {})).find((w) => w.id === ws.id)?.slug}'`)
      assert.equal(last?.unit, 'tokens')
      assert.equal(last?.spent, tokens)
      assert.ok(last?.resetAt && last.resetAt > Date.now())
      const e = await refused(chat(sdk(ws.key)))
      assert.match(e.message, /weekly token budget of workspace '.+' is exhausted: spent [\d,]+ tokens of [\d,]+ tokens; resets at/)
    } finally {
      off()
    }
  })

  test('a USD budget refuses a model without a price, with a message that says how to fix it', async () => {
    const ws = await workspace()
    await setLimits('workspace', ws.id, { budgets: [{ unit: 'usd', limitMicros: 1_000_000, period: { kind: 'monthly' } }] })
    const e = await refused(chat(sdk(ws.key), { model: '@openai/cached' }))
    assert.equal(e.status, 412)
    assert.equal(e.code, 'price_unknown')
    assert.match(e.message, /no known price/)
    await gw.admin('customModels:upsert', { integrationId, model: 'cached', kind: 'override', price: { inputMicrosPerMTok: 1_000_000, outputMicrosPerMTok: 2_000_000 } })
    const ok = await chat(sdk(ws.key), { model: '@openai/cached' }, { 'x-portkey-trace-id': 'priced-override' })
    assert.ok(ok.id)
    const row = await usageFor(gw, 'priced-override')
    const u = ok.usage
    assert.equal(row.costMicros, Math.round(((u?.prompt_tokens ?? 0) * 1_000_000 + (u?.completion_tokens ?? 0) * 2_000_000) / 1e6) - Math.round(((u?.prompt_tokens_details?.cached_tokens ?? 0) * 0) / 1e6))
    await gw.admin('customModels:delete', { integrationId, model: 'cached' })
  })
})

describe('rate and concurrency limits', () => {
  test('requests per minute: 429 with Retry-After in OpenAI format, through the SDK', async () => {
    const ws = await workspace()
    await setLimits('apiKey', ws.keyId, { rateLimits: [{ unit: 'requests', limit: 2, per: 'minute' }] })
    const client = sdk(ws.key)
    await chat(client)
    await chat(client)
    const e = await refused(chat(client))
    assert.equal(e.status, 429)
    assert.equal(e.code, 'rate_limited')
    assert.equal(e.type, 'rate_limit_error')
    const retryAfter = Number(e.headers?.get('retry-after'))
    assert.ok(retryAfter >= 55 && retryAfter <= 62, `Retry-After ${retryAfter}`)
    assert.ok(Number(e.headers?.get('retry-after-ms')) > 0)
    assert.equal(e.headers?.get('x-should-retry'), null, 'a wait under a minute: the SDK may retry by itself')
    assert.match(e.message, /rate limit of API key 'k' reached: 2 requests of 2 requests per minute used; retry in \d+ s/)
    const limit = (e.error as { limit?: Record<string, unknown> }).limit
    assert.equal(limit?.kind, 'rate')
    assert.equal(limit?.period, 'minute')
  })

  test('a day-long wait tells SDKs not to sleep on it', async () => {
    const ws = await workspace()
    await setLimits('workspace', ws.id, { rateLimits: [{ unit: 'requests', limit: 1, per: 'day' }] })
    await chat(sdk(ws.key))
    const e = await refused(chat(sdk(ws.key, 2)))
    assert.equal(e.status, 429)
    assert.ok(Number(e.headers?.get('retry-after')) > 80_000)
    assert.equal(e.headers?.get('x-should-retry'), 'false')
  })

  test('tokens per minute count the estimate, then the actual', async () => {
    const ws = await workspace()
    await setLimits('workspace', ws.id, { rateLimits: [{ unit: 'tokens', limit: 500, per: 'minute' }] })
    const e = await refused(chat(sdk(ws.key), { max_tokens: 1000 }))
    assert.match(e.message, /this call alone needs ~[\d,]+ tokens, more than the limit allows/)
    assert.equal(e.headers?.get('x-should-retry'), 'false')
    await chat(sdk(ws.key), { max_tokens: 100 })
    const [c] = await gw.admin('limits:status', { scope: 'workspace', id: ws.id })
    assert.ok(c && c.used > 0 && c.used < 100, `settled to the actual tokens: ${c?.used}`)
  })

  test('concurrency limit: a second call while one is in flight gets 429', async () => {
    const ws = await workspace()
    await setLimits('workspace', ws.id, { maxConcurrent: 1 })
    upstream.setBehaviour('slow-first-byte')
    try {
      const results = await Promise.allSettled([chat(sdk(ws.key)), chat(sdk(ws.key))])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const e = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as InstanceType<typeof OpenAI.APIError>
      assert.equal(e.status, 429)
      assert.match(e.message, /concurrency limit of workspace '.+' reached: 1 of 1 calls in flight/)
      assert.equal(e.headers?.get('retry-after'), '1')
    } finally {
      upstream.setBehaviour(undefined)
    }
    assert.ok((await chat(sdk(ws.key))).id, 'the slot is free again')
  })

  test('cascade: a provider limit applies to every workspace; the tightest limit answers', async () => {
    const a = await workspace()
    const b = await workspace()
    await gw.admin('providers:create', { slug: 'openai-dev', integrationId })
    await setLimits('provider', '@openai-dev', { rateLimits: [{ unit: 'requests', limit: 1, per: 'hour' }] })
    await setLimits('workspace', a.id, { rateLimits: [{ unit: 'requests', limit: 100, per: 'hour' }] })
    await chat(sdk(a.key), { model: '@openai-dev/gpt-4o' })
    const e = await refused(chat(sdk(b.key), { model: '@openai-dev/gpt-4o' }))
    assert.match(e.message, /rate limit of @openai-dev reached/)
    assert.ok((await chat(sdk(b.key))).id, '@openai, same integration, has its own limits')
  })
})

describe('access', () => {
  test('model access: deny-list, allow-list with auto-enable off, and /v1/models follows', async () => {
    const ws = await workspace()
    await gw.admin('modelAccess:set', { integrationId, disable: ['gpt-4o-mini'] })
    const e = await refused(chat(sdk(ws.key), { model: '@openai/gpt-4o-mini' }))
    assert.equal(e.status, 403)
    assert.equal(e.code, 'model_not_provisioned')
    assert.match(e.message, /model 'gpt-4o-mini' is not enabled on @openai \(integration 'openai'\) for workspace 'ws-/)
    assert.ok((await chat(sdk(ws.key))).id, 'others stay enabled')
    // Allow-list: clear all, pick one, and new (unknown) models are not enabled.
    await gw.admin('modelAccess:set', { integrationId, all: 'disable', enable: ['gpt-4o'], autoEnableNew: false })
    const access = await gw.admin('modelAccess:get', { integrationId })
    assert.equal(access.autoEnableNew, false)
    assert.deepEqual(access.models.filter((m) => m.enabled).map((m) => m.model), ['gpt-4o'])
    assert.equal((await refused(chat(sdk(ws.key), { model: '@openai/tools' }))).code, 'model_not_provisioned')
    const listed = await sdk(ws.key).models.list()
    assert.deepEqual(listed.data.filter((m) => m.id.startsWith('@openai/')).map((m) => m.id), ['@openai/gpt-4o'])
    await gw.admin('modelAccess:set', { integrationId, all: 'reset', autoEnableNew: true })
    assert.ok((await chat(sdk(ws.key), { model: '@openai/gpt-4o-mini' })).id)
  })

  test('provisioning: per-workspace on/off and default limits for auto-provisioned workspaces', async () => {
    const local = await startOpenAIUpstream({ models: ['llama3.2'] })
    try {
      const i = await gw.admin('integrations:create', { slug: `ollama-${randomUUID().slice(0, 6)}`, kind: 'ollama', settings: { baseUrl: local.url } })
      const ws = await workspace()
      const model = `@${i.slug}/llama3.2`
      assert.ok((await chat(sdk(ws.key), { model })).id)
      await gw.admin('provisioning:set', { integrationId: i.id, workspaceId: ws.id, enabled: false })
      const e = await refused(chat(sdk(ws.key), { model }))
      assert.equal(e.code, 'provider_not_allowed')
      await gw.admin('provisioning:setDefaults', { integrationId: i.id, defaultLimits: { rateLimits: [{ unit: 'requests', limit: 1, per: 'minute' }] } })
      const fresh = await workspace() // auto-provisioned, with the default limits
      const p = await gw.admin('provisioning:list', { integrationId: i.id })
      assert.equal(p.autoProvision, true)
      assert.equal(p.workspaces.find((w) => w.workspaceId === ws.id)?.enabled, false)
      assert.equal(p.workspaces.find((w) => w.workspaceId === fresh.id)?.usesDefaultLimits, true)
      assert.ok((await chat(sdk(fresh.key), { model })).id)
      const r = await refused(chat(sdk(fresh.key), { model }))
      assert.match(r.message, new RegExp(`rate limit of integration '${i.slug}' in workspace 'ws-`))
      const row = (await gw.admin('usage:query', { workspaceId: fresh.id }))[0]
      assert.equal(row?.costMicros, 0, 'self-hosted costs 0')
    } finally {
      await local.close()
    }
  })

  test('workspace-created integrations are listed as such; archived workspaces lose access', async () => {
    const ws = await workspace()
    const i = await gw.admin('integrations:create', { slug: `wsint-${randomUUID().slice(0, 6)}`, kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url }, workspaceId: ws.id })
    assert.equal(i.createdInWorkspaceId, ws.id)
    assert.deepEqual(i.workspaceIds, [ws.id])
    assert.deepEqual((await gw.admin('integrations:list', { workspaceId: ws.id, filter: 'workspace' })).map((x) => x.slug), [i.slug])
    assert.ok((await gw.admin('integrations:list', { workspaceId: ws.id, filter: 'connected' })).some((x) => x.slug === 'openai'))
    assert.ok(!(await gw.admin('integrations:list', { workspaceId: 'ws_default', filter: 'connected' })).some((x) => x.slug === i.slug))
    await gw.admin('workspaces:archive', { id: ws.id })
    const e = await refused(chat(sdk(ws.key)))
    assert.equal(e.status, 401)
    assert.match(e.message, /archived workspace/)
    const res = await gw.adminRaw('workspaces:archive', { id: 'ws_default' })
    assert.equal(res.status, 400)
  })

  test('API keys: expiry, scopes, allowed providers, default metadata merged into usage', async () => {
    const ws = await workspace()
    const details = await gw.admin('keys:update', { id: ws.keyId, defaultMetadata: { team: 'infra', _user: 'ci' }, scopes: ['chat'] })
    assert.equal(details.scopes?.[0], 'chat')
    await chat(sdk(ws.key), {}, { 'x-portkey-trace-id': 'key-defaults', 'x-portkey-metadata': JSON.stringify({ _user: 'spoof', env: 'dev' }) })
    const row = await usageFor(gw, 'key-defaults')
    assert.deepEqual(row.metadata, { _user: 'ci', env: 'dev', team: 'infra' })
    const scoped = await refused(sdk(ws.key).embeddings.create({ model: '@openai/text-embedding-3-small', input: 'x' }))
    assert.equal(scoped.status, 403)
    assert.equal(scoped.code, 'key_scope_denied')
    await gw.admin('keys:update', { id: ws.keyId, scopes: null, providerSlugs: ['openai-dev'] })
    const provider = await refused(chat(sdk(ws.key)))
    assert.equal(provider.code, 'key_scope_denied')
    assert.match(provider.message, /may not use @openai \(allowed: @openai-dev\)/)
    await gw.admin('keys:update', { id: ws.keyId, providerSlugs: null, expiresAt: Date.now() - 1000 })
    const expired = await refused(chat(sdk(ws.key)))
    assert.equal(expired.status, 401)
    assert.equal(expired.code, 'api_key_expired')
  })

  test('custom models: listed, priced, and their output cap enforced', async () => {
    const ws = await workspace()
    await gw.admin('customModels:upsert', { integrationId, model: 'gpt-4o-mini', kind: 'override', maxOutputTokens: 8 })
    try {
      const e = await refused(chat(sdk(ws.key), { model: '@openai/gpt-4o-mini', max_tokens: 16 }))
      assert.equal(e.status, 400)
      assert.equal(e.code, 'invalid_request')
      assert.equal(e.param, 'max_tokens')
      assert.match(e.message, /allows at most 8 output tokens; this request asks for 16/)
      assert.ok((await chat(sdk(ws.key), { model: '@openai/gpt-4o-mini', max_tokens: 8 })).id)
      await gw.admin('customModels:upsert', { integrationId, model: 'ft:gpt-4o:acme', kind: 'fine-tuned', price: { inputMicrosPerMTok: 3_750_000, outputMicrosPerMTok: 15_000_000 } })
      const listed = await sdk(ws.key).models.list()
      assert.ok(listed.data.some((m) => m.id === '@openai/ft:gpt-4o:acme'), 'a custom model is served by its provider')
      const [price] = await gw.admin('pricing:list', { providerSlug: 'openai', models: ['ft:gpt-4o:acme'] })
      assert.equal(price?.source?.kind, 'custom-model')
      assert.equal(price?.price?.inputMicrosPerMTok, 3_750_000)
    } finally {
      await gw.admin('customModels:delete', { integrationId, model: 'gpt-4o-mini' })
      await gw.admin('customModels:delete', { integrationId, model: 'ft:gpt-4o:acme' })
    }
  })

  test('pricing: every price shows its source', async () => {
    const list = await gw.admin('pricing:list', { providerSlug: 'openai', models: ['gpt-4o', 'gpt-4o-2024-11-20', 'nope'] })
    assert.equal(list[0]?.source?.kind, 'catalog')
    assert.match(list[0]?.source?.ref ?? '', /genai-prices/)
    assert.equal(list[0]?.price?.inputMicrosPerMTok, 2_500_000)
    assert.equal(list[1]?.source?.kind, 'catalog', 'dated names resolve')
    assert.equal(list[2]?.price, null)
  })
})

test('counters survive a restart: rebuilt from the usage table', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-gov-'))
  const local = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
  const start = () => startSwitchyard({ dataDir, port: 0, keyStore: keyFileStore(join(dataDir, 'vault.key')), adminToken: 'test-admin-token-0123456789' })
  const admin = async (url: string, name: string, input: unknown) => {
    const res = await fetch(`${url}/admin/api/${name}`, { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' }, body: JSON.stringify(input) })
    const body = (await res.json()) as Result<never>
    if (!body.ok) throw new Error(body.error.message)
    return body.value as unknown
  }
  let running = await start()
  try {
    await admin(running.url, 'integrations:create', { slug: 'openai', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: local.url } })
    const key = (await admin(running.url, 'keys:create', { name: 'k' })) as { key: string; id: string }
    await admin(running.url, 'limits:set', { scope: 'apiKey', id: key.id, policy: { budgets: [{ unit: 'tokens', limitTokens: 1_000_000, period: { kind: 'monthly' } }], rateLimits: [{ unit: 'requests', limit: 3, per: 'hour' }] } })
    const client = () => new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key.key, maxRetries: 0 })
    await client().chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'one' }] })
    await client().chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'two' }] })
    const before = (await admin(running.url, 'limits:status', { scope: 'apiKey', id: key.id })) as Array<{ kind: string; used: number }>
    await running.stop()
    running = await start()
    const afterRestart = (await admin(running.url, 'limits:status', { scope: 'apiKey', id: key.id })) as Array<{ kind: string; used: number }>
    assert.deepEqual(afterRestart.map((c) => [c.kind, c.used]), before.map((c) => [c.kind, c.used]))
    assert.equal(afterRestart[1]?.used, 2)
    await client().chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'three' }] })
    const e = await refused(client().chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'four' }] }))
    assert.equal(e.status, 429, 'the hourly window remembers the calls from before the restart')
  } finally {
    await running.stop()
    await local.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
