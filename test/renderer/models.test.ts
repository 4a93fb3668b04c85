// Models store: per-provider lists, refresh from upstream, stale answers dropped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ModelEntry } from '../../preload/contract.ts'
import { ControlError } from '../../renderer/lib/gateway.ts'
import { createModelsStore } from '../../renderer/stores/models.ts'
import { deferred, fakeGateway } from './fakeGateway.ts'

const entry = (providerSlug: string, model: string, source: ModelEntry['source'] = 'known'): ModelEntry => ({
  providerSlug,
  model,
  source,
  inputPriceMicrosPerMTok: 2_500_000,
  outputPriceMicrosPerMTok: 10_000_000,
})

test('load asks for one provider (and workspace) and sorts by model', async () => {
  const gw = fakeGateway({
    'models:list': (q) => [entry(q.providerSlug ?? '?', 'gpt-4o-mini'), entry(q.providerSlug ?? '?', 'gpt-4o')],
  })
  const store = createModelsStore(gw)
  await store.getState().load('openai-test', 'ws_1')
  assert.deepEqual(gw.callsTo('models:list'), [{ providerSlug: 'openai-test', workspaceId: 'ws_1' }])
  assert.deepEqual(store.getState().entries.map((e) => e.model), ['gpt-4o', 'gpt-4o-mini'])
})

test('refresh replaces the list with what upstream returned and stamps the time', async () => {
  const gw = fakeGateway({
    'models:list': () => [entry('p', 'gpt-4o')],
    'models:refresh': () => [entry('p', 'gpt-4o'), entry('p', 'o3', 'discovered')],
  })
  const store = createModelsStore(gw, () => 42)
  await store.getState().load('p')
  await store.getState().refresh()
  assert.deepEqual(gw.callsTo('models:refresh'), [{ providerSlug: 'p' }])
  assert.deepEqual(store.getState().entries.map((e) => e.model), ['gpt-4o', 'o3'])
  assert.equal(store.getState().refreshedAt, 42)
  assert.equal(store.getState().refreshing, false)
})

test('a failed refresh keeps the list and reports the upstream error', async () => {
  const gw = fakeGateway({
    'models:list': () => [entry('p', 'gpt-4o')],
    'models:refresh': () => {
      throw new ControlError('upstream_error', 'api.openai.com: connect ETIMEDOUT')
    },
  })
  const store = createModelsStore(gw)
  await store.getState().load('p')
  await store.getState().refresh()
  assert.equal(store.getState().refreshError?.code, 'upstream_error')
  assert.equal(store.getState().entries.length, 1)
})

test('an answer for a provider the user left is ignored', async () => {
  const slow = deferred<ModelEntry[]>()
  const gw = fakeGateway({
    'models:list': (q) => (q.providerSlug === 'slow' ? slow.promise : [entry('fast', 'llama3')]),
  })
  const store = createModelsStore(gw)
  const first = store.getState().load('slow')
  await store.getState().load('fast')
  slow.resolve([entry('slow', 'stale-model')])
  await first
  assert.equal(store.getState().providerSlug, 'fast')
  assert.deepEqual(store.getState().entries.map((e) => e.model), ['llama3'])
})

test('select switches provider and clears the old list without loading', async () => {
  const gw = fakeGateway({ 'models:list': () => [entry('a', 'gpt-4o')] })
  const store = createModelsStore(gw)
  await store.getState().load('a')
  store.getState().select('b')
  assert.equal(store.getState().providerSlug, 'b')
  assert.deepEqual(store.getState().entries, [])
  assert.equal(gw.callsTo('models:list').length, 1)
})
