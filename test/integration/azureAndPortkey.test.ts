/**
 * Azure OpenAI (deployments behind aliases, api-version, api-key auth) and the `portkey-ai` SDK's
 * ways of naming a provider, through the gateway over real HTTP.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { Portkey } from 'portkey-ai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAzureUpstream } from '../support/upstreams/azureUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

const AZURE_KEY = 'azure-key-0123456789abcdef0123'
const OPENAI_KEY = 'sk-openai-0123456789abcdef'

let gw: TestGateway
let azure: Upstream
let openai: Upstream
let key: string
let client: OpenAI

before(async () => {
  azure = await startAzureUpstream({ apiKey: AZURE_KEY, deployments: { 'gpt4o-prod': 'gpt-4o', 'mini-eu': 'gpt-4o-mini', 'embed-small': 'text-embedding-3-small' }, apiVersions: ['2024-10-21'] })
  openai = await startOpenAIUpstream({ apiKey: OPENAI_KEY })
  gw = await startTestGateway()
  await gw.admin('integrations:create', {
    slug: 'azure',
    kind: 'azure-openai',
    apiKey: AZURE_KEY,
    settings: {
      azureEndpoint: azure.url,
      azureApiVersion: '2024-10-21',
      azureDeployments: [
        { alias: 'prod-4o', deployment: 'gpt4o-prod', model: 'gpt-4o', isDefault: true },
        { alias: 'mini', deployment: 'mini-eu', model: 'gpt-4o-mini' },
        { alias: 'embed', deployment: 'embed-small', model: 'text-embedding-3-small' },
      ],
    },
  })
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: OPENAI_KEY, settings: { baseUrl: openai.url } })
  key = await gw.newKey()
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
})

after(async () => {
  await gw.stop()
  await azure.close()
  await openai.close()
})

describe('Azure OpenAI', () => {
  test('an alias picks the deployment; api-version and api-key go upstream; priced as its model', async () => {
    const traceId = randomUUID()
    const res = await client.chat.completions.create({ model: '@azure/mini', messages: [{ role: 'user', content: 'hello azure' }] }, { headers: { 'x-portkey-trace-id': traceId } })
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o-mini: hello azure')
    const sent = azure.requests.at(-1)
    assert.equal(sent?.path, '/openai/deployments/mini-eu/chat/completions?api-version=2024-10-21')
    assert.equal(sent?.headers['api-key'], AZURE_KEY)
    assert.equal(sent?.headers.authorization, undefined)
    const row = await usageFor(gw, traceId)
    assert.equal(row.model, 'gpt-4o-mini')
    assert.ok(row.costMicros !== null && row.costMicros > 0)
  })

  test('x-portkey-provider with no model uses the default deployment', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'x-portkey-provider': '@azure', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
    })
    assert.equal(res.status, 200)
    assert.equal(azure.requests.at(-1)?.path, '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21')
  })

  test('streaming and embeddings through deployments', async () => {
    const stream = await client.chat.completions.create({ model: '@azure/prod-4o', stream: true, messages: [{ role: 'user', content: 'stream me' }] })
    let text = ''
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
    assert.equal(text, 'Hello from gpt-4o: stream me')
    const emb = await client.embeddings.create({ model: '@azure/embed', input: ['a', 'b'] })
    assert.equal(emb.data.length, 2)
    assert.equal(azure.requests.at(-1)?.path, '/openai/deployments/embed-small/embeddings?api-version=2024-10-21')
  })

  test('an unknown alias is a clear 404 listing the aliases', async () => {
    const err = await client.chat.completions.create({ model: '@azure/gpt-5', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.NotFoundError)
    assert.equal(err.code, 'model_not_found')
    assert.match(err.message, /prod-4o, mini, embed/)
  })

  test('the model list shows the aliases', async () => {
    const ids: string[] = []
    for await (const m of client.models.list()) ids.push(m.id)
    assert.ok(['@azure/prod-4o', '@azure/mini', '@azure/embed'].every((id) => ids.includes(id)))
  })

  test('bad Azure settings are refused with the field named', async () => {
    const res = await gw.adminRaw('integrations:create', { slug: 'az2', kind: 'azure-openai', apiKey: 'k'.repeat(20), settings: { azureEndpoint: azure.url } })
    assert.equal(res.status, 400)
    const body = (await res.json()) as { ok: false; error: { path: string } }
    assert.equal(body.error.path, 'settings.azureDeployments')
  })
})

describe('portkey-ai SDK', () => {
  test('provider: "@slug"', async () => {
    const portkey = new Portkey({ baseURL: `${gw.url}/v1`, apiKey: key, provider: '@openai' })
    const res = await portkey.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'from portkey' }] })
    assert.equal(res.choices?.[0]?.message?.content, 'Hello from gpt-4o: from portkey')
    assert.equal(openai.requests.at(-1)?.headers.authorization, `Bearer ${OPENAI_KEY}`)
  })

  test('model: "@slug/model" with metadata and trace id', async () => {
    const traceId = randomUUID()
    const portkey = new Portkey({ baseURL: `${gw.url}/v1`, apiKey: key, traceID: traceId, metadata: { _user: 'bob' } })
    const res = await portkey.chat.completions.create({ model: '@azure/prod-4o', messages: [{ role: 'user', content: 'x' }] })
    assert.equal(res.choices?.[0]?.message?.content, 'Hello from gpt-4o: x')
    const row = await usageFor(gw, traceId)
    assert.deepEqual(row.metadata, { _user: 'bob' })
    assert.equal(row.providerSlug, 'azure')
  })

  test('legacy virtualKey', async () => {
    const portkey = new Portkey({ baseURL: `${gw.url}/v1`, apiKey: key, virtualKey: 'openai' })
    const res = await portkey.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'vk' }] })
    assert.equal(res.choices?.[0]?.message?.content, 'Hello from gpt-4o-mini: vk')
  })

  test('provider kind + customHost + the caller\'s own key (self-hosted server not in the catalog)', async () => {
    const own = await startOpenAIUpstream({ apiKey: 'sk-own-1234567890', models: ['phi-4'] })
    try {
      const portkey = new Portkey({ baseURL: `${gw.url}/v1`, apiKey: key, provider: 'openai', customHost: own.url, Authorization: 'Bearer sk-own-1234567890' })
      const res = await portkey.chat.completions.create({ model: 'phi-4', messages: [{ role: 'user', content: 'ch' }] })
      assert.equal(res.choices?.[0]?.message?.content, 'Hello from phi-4: ch')
      const stream = await portkey.chat.completions.create({ model: 'phi-4', stream: true, messages: [{ role: 'user', content: 'st' }] })
      let text = ''
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
      assert.equal(text, 'Hello from phi-4: st')
    } finally {
      await own.close()
    }
  })

  test('embeddings and errors in the SDK\'s own error types', async () => {
    const portkey = new Portkey({ baseURL: `${gw.url}/v1`, apiKey: key, provider: '@openai' })
    const emb = await portkey.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })
    assert.equal(emb.data?.[0]?.embedding?.length, 16)
    const bad = new Portkey({ baseURL: `${gw.url}/v1`, apiKey: 'sy-nope', provider: '@openai' })
    const err = await bad.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof Error)
    assert.equal((err as { status?: number }).status, 401)
  })
})
