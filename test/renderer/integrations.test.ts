// Integrations store: list + kinds, create (write-only key), delete, and the form-to-input mapping.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { IntegrationInput } from '../../preload/contract.ts'
import { ControlError } from '../../renderer/lib/gateway.ts'
import {
  buildIntegrationInput,
  createIntegrationsStore,
  emptyIntegrationDraft,
} from '../../renderer/stores/integrations.ts'
import { fakeGateway } from './fakeGateway.ts'
import { integration, kinds } from './fixtures.ts'

describe('integrations store', () => {
  test('load fetches integrations and provider kinds, sorted by slug', async () => {
    const gw = fakeGateway({
      'integrations:list': () => [integration({ id: 'b', slug: 'zeta' }), integration({ id: 'a', slug: 'alpha' })],
      'providerKinds:list': () => kinds,
    })
    const store = createIntegrationsStore(gw)
    await store.getState().load()
    const s = store.getState()
    assert.deepEqual(s.items.map((i) => i.slug), ['alpha', 'zeta'])
    assert.equal(s.kinds.length, 3)
    assert.equal(s.loading, false)
    assert.equal(s.error, null)
  })

  test('a load failure is kept as error data with its code', async () => {
    const gw = fakeGateway({
      'integrations:list': () => {
        throw new ControlError('unauthorized', 'admin token required')
      },
      'providerKinds:list': () => kinds,
    })
    const store = createIntegrationsStore(gw)
    await store.getState().load()
    assert.equal(store.getState().error?.code, 'unauthorized')
  })

  test('create sends the key once and keeps only the summary with its hint', async () => {
    const secret = 'sk-live-0123456789wxyz'
    const gw = fakeGateway({
      'integrations:create': (input) =>
        integration({ id: 'int_new', slug: input.slug, credentialHint: input.apiKey?.slice(-4) ?? null }),
    })
    const store = createIntegrationsStore(gw)
    const created = await store.getState().create({ kind: 'openai', slug: 'openai-main', apiKey: secret })
    assert.equal(created?.credentialHint, 'wxyz')
    assert.deepEqual(gw.callsTo('integrations:create'), [{ kind: 'openai', slug: 'openai-main', apiKey: secret }])
    assert.equal(store.getState().items.length, 1)
    assert.equal(JSON.stringify(store.getState()).includes(secret), false, 'the secret must not stay in state')
  })

  test('a refused create shows the server error next to the form and adds nothing', async () => {
    const gw = fakeGateway({
      'integrations:create': () => {
        throw new ControlError('conflict', 'An integration with slug "openai-main" already exists', 'slug')
      },
    })
    const store = createIntegrationsStore(gw)
    const created = await store.getState().create({ kind: 'openai', slug: 'openai-main' })
    assert.equal(created, null)
    assert.deepEqual(store.getState().formError, {
      code: 'conflict',
      message: 'An integration with slug "openai-main" already exists',
      path: 'slug',
    })
    assert.equal(store.getState().saving, false)
    assert.equal(store.getState().items.length, 0)
    store.getState().clearFormError()
    assert.equal(store.getState().formError, null)
  })

  test('replaceKey sends the new key once and keeps only the new hint', async () => {
    const rotated = 'sk-rotated-000000009876'
    const gw = fakeGateway({
      'integrations:list': () => [integration()],
      'providerKinds:list': () => kinds,
      'integrations:update': (input) => integration({ credentialHint: input.apiKey?.slice(-4) ?? null }),
    })
    const store = createIntegrationsStore(gw)
    await store.getState().load()
    assert.equal(await store.getState().replaceKey('int_1', ` ${rotated} `), true)
    assert.deepEqual(gw.callsTo('integrations:update'), [{ id: 'int_1', apiKey: rotated }])
    assert.equal(store.getState().items[0]?.credentialHint, '9876')
    assert.equal(JSON.stringify(store.getState()).includes(rotated), false)
  })

  test('delete removes the row; a refusal becomes actionError and keeps it', async () => {
    let refuse = true
    const gw = fakeGateway({
      'integrations:list': () => [integration()],
      'providerKinds:list': () => kinds,
      'integrations:delete': () => {
        if (refuse) throw new ControlError('conflict', 'Providers still use this integration')
        return { deleted: true }
      },
    })
    const store = createIntegrationsStore(gw)
    await store.getState().load()
    assert.equal(await store.getState().remove('int_1'), false)
    assert.equal(store.getState().actionError?.code, 'conflict')
    assert.equal(store.getState().items.length, 1)
    refuse = false
    assert.equal(await store.getState().remove('int_1'), true)
    assert.equal(store.getState().items.length, 0)
    assert.equal(store.getState().actionError, null)
  })
})

describe('buildIntegrationInput', () => {
  const kind = (id: string) => kinds.find((k) => k.id === id)

  test('hosted: trims, omits empty name and base URL, keeps the key', () => {
    const input = buildIntegrationInput(
      { ...emptyIntegrationDraft, kind: 'openai', slug: ' openai-main ', apiKey: ' sk-1 \n', baseUrl: 'http://left-over' },
      kind('openai'),
    )
    assert.deepEqual(input, { kind: 'openai', slug: 'openai-main', apiKey: 'sk-1' } satisfies IntegrationInput)
  })

  test('self-hosted: base URL goes in settings, no key needed', () => {
    const input = buildIntegrationInput(
      { ...emptyIntegrationDraft, kind: 'ollama', slug: 'local', name: 'Laptop Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
      kind('ollama'),
    )
    assert.deepEqual(input, {
      kind: 'ollama',
      slug: 'local',
      name: 'Laptop Ollama',
      settings: { baseUrl: 'http://127.0.0.1:11434/v1' },
    })
  })

  test('azure: endpoint, api version and non-empty deployment rows', () => {
    const input = buildIntegrationInput(
      {
        ...emptyIntegrationDraft,
        kind: 'azure-openai',
        slug: 'azure',
        apiKey: 'az-key',
        azureEndpoint: 'https://res.openai.azure.com',
        azureApiVersion: '2024-10-21',
        azureDeployments: [
          { alias: 'gpt-4o', deployment: 'prod-4o', model: 'gpt-4o' },
          { alias: 'mini', deployment: 'prod-mini', model: '' },
          { alias: ' ', deployment: '', model: '' },
        ],
      },
      kind('azure-openai'),
    )
    assert.deepEqual(input, {
      kind: 'azure-openai',
      slug: 'azure',
      apiKey: 'az-key',
      settings: {
        azureEndpoint: 'https://res.openai.azure.com',
        azureApiVersion: '2024-10-21',
        azureDeployments: [
          { alias: 'gpt-4o', deployment: 'prod-4o', model: 'gpt-4o' },
          { alias: 'mini', deployment: 'prod-mini' },
        ],
      },
    })
  })
})
