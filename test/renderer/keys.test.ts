// API keys store: the created key is revealed exactly once and never enters the list.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CreatedApiKey } from '../../preload/contract.ts'
import { ControlError } from '../../renderer/lib/gateway.ts'
import { createKeysStore } from '../../renderer/stores/keys.ts'
import { fakeGateway } from './fakeGateway.ts'
import { apiKey } from './fixtures.ts'

const fullKey = 'sy-AbC1-very-secret-key-material'

function created(over: Partial<CreatedApiKey> = {}): CreatedApiKey {
  return { ...apiKey({ id: 'key_new', name: 'ci', createdAt: 5 }), key: fullKey, ...over }
}

test('load lists keys of the workspace, active first and newest first', async () => {
  const gw = fakeGateway({
    'keys:list': () => [
      apiKey({ id: 'old', createdAt: 1 }),
      apiKey({ id: 'revoked', createdAt: 9, revokedAt: 10 }),
      apiKey({ id: 'new', createdAt: 5 }),
    ],
  })
  const store = createKeysStore(gw)
  await store.getState().load('ws_default')
  assert.deepEqual(gw.callsTo('keys:list'), [{ workspaceId: 'ws_default' }])
  assert.deepEqual(store.getState().items.map((k) => k.id), ['new', 'old', 'revoked'])
})

test('create reveals the key once; the list entry carries no key', async () => {
  const gw = fakeGateway({ 'keys:list': () => [], 'keys:create': () => created() })
  const store = createKeysStore(gw)
  await store.getState().load('ws_default')
  assert.equal(await store.getState().create('  ci '), true)
  assert.deepEqual(gw.callsTo('keys:create'), [{ name: 'ci', workspaceId: 'ws_default' }])
  assert.equal(store.getState().revealed?.key, fullKey)
  assert.equal(JSON.stringify(store.getState().items).includes(fullKey), false)
  store.getState().dismissReveal()
  assert.equal(store.getState().revealed, null)
  assert.equal(JSON.stringify(store.getState()).includes(fullKey), false)
})

test('switching workspace drops a revealed key', async () => {
  const gw = fakeGateway({ 'keys:list': () => [], 'keys:create': () => created() })
  const store = createKeysStore(gw)
  await store.getState().load('ws_default')
  await store.getState().create('ci')
  await store.getState().load('ws_other')
  assert.equal(store.getState().revealed, null)
  assert.equal(store.getState().items.length, 0)
})

test('create errors stay next to the form', async () => {
  const gw = fakeGateway({
    'keys:list': () => [],
    'keys:create': () => {
      throw new ControlError('invalid_input', 'name is required', 'name')
    },
  })
  const store = createKeysStore(gw)
  await store.getState().load('ws_default')
  assert.equal(await store.getState().create(''), false)
  assert.equal(store.getState().formError?.code, 'invalid_input')
  assert.equal(store.getState().revealed, null)
})

test('revoke updates the row in place', async () => {
  const gw = fakeGateway({
    'keys:list': () => [apiKey({ id: 'k1' })],
    'keys:revoke': ({ id }) => apiKey({ id, revokedAt: 99 }),
  })
  const store = createKeysStore(gw)
  await store.getState().load('ws_default')
  assert.equal(await store.getState().revoke('k1'), true)
  assert.equal(store.getState().items[0]?.revokedAt, 99)
})
