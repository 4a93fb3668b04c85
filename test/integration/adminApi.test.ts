/**
 * The Control API over HTTP: token, Host and Origin checks, validation errors that name the field,
 * conflicts, write-only secrets, live routing changes, and the OpenAPI document.
 */
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let upstream: Upstream

before(async () => {
  gw = await startTestGateway()
  upstream = await startOpenAIUpstream({ apiKey: 'sk-live-0123456789abcdef' })
})
after(async () => {
  await gw.stop()
  await upstream.close()
})

function rawPost(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end('{}')
  })
}

type Failure = { ok: false; error: { code: string; message: string; path?: string } }

describe('admin surface security', () => {
  test('no token or a wrong token: 401', async () => {
    const none = await fetch(`${gw.url}/admin/api/workspaces:list`, { method: 'POST', body: '{}' })
    assert.equal(none.status, 401)
    assert.equal(((await none.json()) as Failure).error.code, 'unauthorized')
    const wrong = await gw.adminRaw('workspaces:list', {}, { authorization: 'Bearer nope' })
    assert.equal(wrong.status, 401)
  })

  test('a foreign Host (DNS rebinding) is refused even with the token', async () => {
    // fetch() will not send a Host of our choosing; a raw request does, as a rebinding browser would.
    const { status, body } = await rawPost(`${gw.url}/admin/api/workspaces:list`, { host: 'evil.example', authorization: `Bearer ${gw.running.adminToken}` })
    assert.equal(status, 403)
    assert.equal((JSON.parse(body) as Failure).error.code, 'forbidden')
    const ok = await rawPost(`${gw.url}/admin/api/workspaces:list`, { host: `localhost:${new URL(gw.url).port}`, authorization: `Bearer ${gw.running.adminToken}` })
    assert.equal(ok.status, 200)
  })

  test('a foreign browser Origin is refused; our own origin is accepted', async () => {
    const bad = await gw.adminRaw('workspaces:list', {}, { origin: 'https://evil.example' })
    assert.equal(bad.status, 403)
    const good = await gw.adminRaw('workspaces:list', {}, { origin: `http://${new URL(gw.url).host}` })
    assert.equal(good.status, 200)
  })

  test('unknown commands and GET are rejected clearly', async () => {
    assert.equal((await gw.adminRaw('vault:dump', {})).status, 404)
    const get = await fetch(`${gw.url}/admin/api/workspaces:list`, { headers: { authorization: `Bearer ${gw.running.adminToken}` } })
    assert.equal(get.status, 400)
  })
})

describe('validation', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['integrations:create', { slug: 'Bad Slug', kind: 'openai', apiKey: 'k' }, 'invalid_input', 'slug'],
    ['integrations:create', { slug: 'x', kind: 'nope', apiKey: 'k' }, 'invalid_input', 'kind'],
    ['integrations:create', { slug: 'x', kind: 'openai' }, 'invalid_input', 'apiKey'],
    ['integrations:create', { slug: 'x', kind: 'openai-compatible' }, 'invalid_input', 'settings.baseUrl'],
    ['integrations:create', { slug: 'x', kind: 'openai', apiKey: 'k', settings: { baseUrl: 'ftp://x' } }, 'invalid_input', 'settings.baseUrl'],
    ['integrations:create', { slug: 'x', kind: 'openai', apiKey: 'k', extra: 1 }, 'invalid_input', ''],
    ['keys:create', { name: 'k', key: 'short' }, 'invalid_input', 'key'],
    ['usage:summary', { groupBy: 'day', timeZone: 'Mars/Olympus' }, 'invalid_input', 'timeZone'],
    ['providers:create', { slug: 'p', integrationId: 'int_missing' }, 'not_found', ''],
  ]
  for (const [name, input, code, path] of cases) {
    test(`${name} ${JSON.stringify(input)} → ${code} ${path}`, async () => {
      const res = await gw.adminRaw(name, input)
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`)
      const body = (await res.json()) as Failure
      assert.equal(body.error.code, code)
      assert.equal(body.error.path ?? '', path)
      assert.ok(body.error.message.length > 0)
    })
  }

  test('duplicate slugs are conflicts', async () => {
    await gw.admin('workspaces:create', { slug: 'dup' })
    const res = await gw.adminRaw('workspaces:create', { slug: 'dup' })
    assert.equal(res.status, 409)
  })
})

describe('catalog operations', () => {
  test('secrets are write-only: only a hint comes back, and updates take effect on the next request', async () => {
    const created = await gw.admin('integrations:create', { slug: 'live', kind: 'openai', apiKey: 'sk-wrong-key-0000000000', settings: { baseUrl: upstream.url } })
    assert.equal(created.hasCredential, true)
    assert.equal(created.credentialHint, '0000')
    assert.ok(!JSON.stringify(created).includes('sk-wrong'))
    const key = await gw.newKey()
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
    const before = await client.chat.completions.create({ model: '@live/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(before instanceof OpenAI.AuthenticationError, 'the wrong upstream key is refused upstream')
    await gw.admin('integrations:update', { id: created.id, apiKey: 'sk-live-0123456789abcdef' })
    const res = await client.chat.completions.create({ model: '@live/gpt-4o', messages: [{ role: 'user', content: 'x' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: x')
    assert.equal((await gw.admin('integrations:get', { id: 'live' })).credentialHint, 'cdef')
  })

  test('several @slug providers from one integration; deleting one stops its routing at once', async () => {
    const integration = (await gw.admin('integrations:list')).find((i) => i.slug === 'live')
    assert.ok(integration)
    const dev = await gw.admin('providers:create', { slug: 'live-dev', integrationId: integration.id })
    const key = await gw.newKey()
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
    await client.chat.completions.create({ model: '@live-dev/gpt-4o', messages: [{ role: 'user', content: 'x' }] })
    const providers = await gw.admin('providers:list', { integrationId: integration.id })
    assert.deepEqual(providers.map((p) => p.slug).sort(), ['live', 'live-dev'])
    await gw.admin('providers:delete', { id: dev.id })
    const err = await client.chat.completions.create({ model: '@live-dev/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.NotFoundError)
  })

  test('an integration limited to one workspace is invisible to keys of another', async () => {
    const ws = await gw.admin('workspaces:create', { slug: 'experiments' })
    await gw.admin('integrations:create', { slug: 'private', kind: 'openai', apiKey: 'sk-live-0123456789abcdef', settings: { baseUrl: upstream.url }, workspaceIds: [ws.id] })
    const inside = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: await gw.newKey('in', ws.id), maxRetries: 0 })
    const outside = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: await gw.newKey('out'), maxRetries: 0 })
    await inside.chat.completions.create({ model: '@private/gpt-4o', messages: [{ role: 'user', content: 'x' }] })
    const err = await outside.chat.completions.create({ model: '@private/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.PermissionDeniedError)
    assert.match(err.message, /workspace 'default'/)
    const ids: string[] = []
    for await (const m of outside.models.list()) ids.push(m.id)
    assert.ok(!ids.some((id) => id.startsWith('@private/')))
  })

  test('keys are shown once and listed without their value', async () => {
    const created = await gw.admin('keys:create', { name: 'ci' })
    assert.match(created.key, /^sy-[A-Za-z0-9]{43}$/)
    const listed = await gw.admin('keys:list', {})
    const mine = listed.find((k) => k.id === created.id)
    assert.ok(mine)
    assert.ok(!JSON.stringify(listed).includes(created.key))
    assert.equal(mine.prefix, `${created.key.slice(0, 7)}…`)
  })

  test('usage summary groups by provider and by local day', async () => {
    const byProvider = await gw.admin('usage:summary', { groupBy: 'provider' })
    assert.ok(byProvider.some((r) => r.key === 'live' && r.requests >= 2 && r.errors >= 1))
    const byDay = await gw.admin('usage:summary', { groupBy: 'day', timeZone: 'Asia/Kathmandu' })
    assert.match(byDay[0]?.key ?? '', /^\d{4}-\d{2}-\d{2}$/)
    assert.equal(byDay.reduce((n, r) => n + r.requests, 0), byProvider.reduce((n, r) => n + r.requests, 0))
  })
})

test('the OpenAPI document lists every command', async () => {
  const res = await fetch(`${gw.url}/admin/openapi.json`, { headers: { host: new URL(gw.url).host } })
  assert.equal(res.status, 200)
  const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }
  assert.equal(doc.openapi, '3.1.0')
  for (const name of ['integrations:create', 'keys:create', 'usage:query', 'config:apply', 'models:refresh']) {
    assert.ok(doc.paths[`/admin/api/${name}`], name)
  }
  assert.ok(doc.components.schemas.SetupDocument)
})
