// Providers store: `@slug` providers made from integrations.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ControlError } from '../../renderer/lib/gateway.ts'
import { createProvidersStore, normalizeProviderSlug } from '../../renderer/stores/providers.ts'
import { fakeGateway } from './fakeGateway.ts'
import { provider } from './fixtures.ts'

test('normalizeProviderSlug drops a leading @ and spaces', () => {
  assert.equal(normalizeProviderSlug(' @openai-test '), 'openai-test')
  assert.equal(normalizeProviderSlug('openai-test'), 'openai-test')
})

test('create sends the bare slug and adds the provider', async () => {
  const gw = fakeGateway({
    'providers:create': (input) => provider({ id: 'p2', slug: input.slug, integrationId: input.integrationId }),
  })
  const store = createProvidersStore(gw)
  const created = await store.getState().create({ slug: '@openai-test', name: '  ', integrationId: 'int_1' })
  assert.equal(created?.slug, 'openai-test')
  assert.deepEqual(gw.callsTo('providers:create'), [{ slug: 'openai-test', integrationId: 'int_1' }])
  assert.deepEqual(store.getState().items.map((p) => p.slug), ['openai-test'])
})

test('a refused create keeps the error code and message for the form', async () => {
  const gw = fakeGateway({
    'providers:create': () => {
      throw new ControlError('invalid_input', 'slug must be lowercase letters, digits and dashes', 'slug')
    },
  })
  const store = createProvidersStore(gw)
  assert.equal(await store.getState().create({ slug: 'Bad Slug', integrationId: 'int_1' }), null)
  assert.equal(store.getState().formError?.code, 'invalid_input')
  assert.equal(store.getState().formError?.path, 'slug')
})

test('load and delete', async () => {
  const gw = fakeGateway({
    'providers:list': () => [provider({ id: 'b', slug: 'zz' }), provider({ id: 'a', slug: 'aa' })],
    'providers:delete': () => ({ deleted: true }),
  })
  const store = createProvidersStore(gw)
  await store.getState().load()
  assert.deepEqual(store.getState().items.map((p) => p.slug), ['aa', 'zz'])
  assert.equal(await store.getState().remove('a'), true)
  assert.deepEqual(store.getState().items.map((p) => p.slug), ['zz'])
})
