/**
 * A new OpenAI-compatible integration lists the server's models at once (no *Refresh* needed), and a
 * bare model name routes to it; a kind with its own model list asks nothing; a server that is down
 * does not fail the creation.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import OpenAI from 'openai'
import type { ModelEntry } from '../../preload/contract.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let local: Upstream

before(async () => {
  local = await startOpenAIUpstream({ models: ['qwen3-coder', 'llama3.2'] })
  gw = await startTestGateway()
})
after(async () => {
  await gw.stop()
  await local.close()
})

test('openai-compatible: models discovered on creation; a bare name routes there', async () => {
  await gw.admin('integrations:create', { slug: 'lab', kind: 'openai-compatible', settings: { baseUrl: local.url } })
  const models = (await gw.admin('models:list', { providerSlug: 'lab' })) as ModelEntry[]
  assert.deepEqual(models.map((m) => [m.model, m.source]), [['llama3.2', 'discovered'], ['qwen3-coder', 'discovered']])
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: await gw.newKey(), maxRetries: 0 })
  const res = await client.chat.completions.create({ model: 'qwen3-coder', messages: [{ role: 'user', content: 'hi' }] })
  assert.match(res.choices[0]?.message.content ?? '', /Hello from qwen3-coder/)
})

test('a kind with a built-in model list does not call /models', async () => {
  const before = local.requests.length
  await gw.admin('integrations:create', { slug: 'oai', kind: 'openai', apiKey: 'sk-test-0123456789abcdef', settings: { baseUrl: local.url } })
  assert.equal(local.requests.slice(before).filter((r) => r.path.endsWith('/models')).length, 0)
})

test('a server that is down: created anyway, no models yet', async () => {
  const created = (await gw.admin('integrations:create', { slug: 'down', kind: 'ollama', settings: { baseUrl: 'http://127.0.0.1:1' } })) as { slug: string }
  assert.equal(created.slug, 'down')
  assert.deepEqual(await gw.admin('models:list', { providerSlug: 'down' }), [])
})
