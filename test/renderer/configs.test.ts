// Routing configs store: JSON text in, every validation error by path out, server errors kept for the form.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ControlError } from '../../renderer/lib/gateway.ts'
import { configText, createConfigsStore, exampleConfig, parseConfigText } from '../../renderer/stores/configs.ts'
import { deferred, fakeGateway } from './fakeGateway.ts'
import { savedConfig } from './fixtures.ts'

const badErrors = [
  { path: 'strategy.mode', message: 'Invalid option' },
  { path: 'targets[1].retry.attempts', message: 'Too big: expected number to be <=5' },
]

test('parseConfigText accepts a JSON object only', () => {
  assert.deepEqual(parseConfigText(configText(exampleConfig)), { ok: true, config: exampleConfig })
  const broken = parseConfigText('{ "strategy": ')
  assert.equal(broken.ok, false)
  assert.match(broken.ok ? '' : broken.issue.message, /^Not valid JSON/)
  assert.equal(parseConfigText('[]').ok, false)
  assert.equal(parseConfigText('null').ok, false)
})

test('load lists configs by slug', async () => {
  const gw = fakeGateway({
    'configs:list': () => [savedConfig({ id: 'b', slug: 'zz' }), savedConfig({ id: 'a', slug: 'aa' })],
  })
  const store = createConfigsStore(gw)
  await store.getState().load()
  assert.deepEqual(gw.callsTo('configs:list'), [{}])
  assert.deepEqual(store.getState().items.map((c) => c.slug), ['aa', 'zz'])
})

test('validate sends the parsed JSON and keeps every error with its path', async () => {
  const gw = fakeGateway({ 'configs:validate': () => ({ ok: false, errors: badErrors }) })
  const store = createConfigsStore(gw)
  const text = '{"strategy":{"mode":"sideways"}}'
  assert.equal(await store.getState().validate(text), false)
  assert.deepEqual(gw.callsTo('configs:validate'), [{ config: { strategy: { mode: 'sideways' } } }])
  assert.deepEqual(store.getState().validation, { text, ok: false, errors: badErrors })
  assert.equal(store.getState().validating, false)
})

test('validate: a valid config, and text that is not JSON never reaches the server', async () => {
  const gw = fakeGateway({ 'configs:validate': () => ({ ok: true, errors: [] }) })
  const store = createConfigsStore(gw)
  assert.equal(await store.getState().validate(configText(exampleConfig)), true)
  assert.equal(store.getState().validation?.ok, true)
  assert.equal(await store.getState().validate('{ nope'), false)
  assert.equal(gw.callsTo('configs:validate').length, 1)
  assert.equal(store.getState().validation?.errors[0]?.path, '')
  assert.match(store.getState().validation?.errors[0]?.message ?? '', /Not valid JSON/)
})

test('validate shows it is busy until the server answers', async () => {
  const answer = deferred<{ ok: boolean; errors: Array<{ path: string; message: string }> }>()
  const gw = fakeGateway({ 'configs:validate': () => answer.promise })
  const store = createConfigsStore(gw)
  const pending = store.getState().validate('{}')
  assert.equal(store.getState().validating, true)
  answer.resolve({ ok: false, errors: [{ path: 'provider', message: 'required' }] })
  await pending
  assert.equal(store.getState().validating, false)
  assert.equal(store.getState().validation?.errors[0]?.path, 'provider')
})

test('create sends slug, optional name and the parsed config, and adds it to the list', async () => {
  const gw = fakeGateway({
    'configs:create': (input) => savedConfig({ id: 'cfg_new', slug: input.slug, name: input.name ?? input.slug, config: input.config }),
  })
  const store = createConfigsStore(gw)
  const created = await store.getState().create({ slug: ' fallback-gpt4o ', name: '  ', text: configText(exampleConfig) })
  assert.equal(created?.slug, 'fallback-gpt4o')
  assert.deepEqual(gw.callsTo('configs:create'), [{ slug: 'fallback-gpt4o', config: exampleConfig }])
  assert.deepEqual(store.getState().items.map((c) => c.id), ['cfg_new'])
  assert.equal(store.getState().formError, null)
})

test('create with text that is not a JSON object stays local, as a form error on `config`', async () => {
  const gw = fakeGateway({})
  const store = createConfigsStore(gw)
  assert.equal(await store.getState().create({ slug: 'x', name: '', text: '{"targets": [' }), null)
  assert.equal(gw.calls.length, 0)
  assert.equal(store.getState().formError?.code, 'invalid_input')
  assert.equal(store.getState().formError?.path, 'config')
})

test('a refused save keeps the server error with its path and lists every problem', async () => {
  const gw = fakeGateway({
    'configs:create': () => {
      throw new ControlError('invalid_input', 'config.strategy.mode: Invalid option (and 1 more)', 'config.strategy.mode')
    },
    'configs:validate': () => ({ ok: false, errors: badErrors }),
  })
  const store = createConfigsStore(gw)
  const text = '{"strategy":{"mode":"sideways"}}'
  assert.equal(await store.getState().create({ slug: 'bad', name: '', text }), null)
  assert.deepEqual(store.getState().formError, {
    code: 'invalid_input',
    message: 'config.strategy.mode: Invalid option (and 1 more)',
    path: 'config.strategy.mode',
  })
  await new Promise((r) => setTimeout(r, 0))
  assert.deepEqual(store.getState().validation?.errors, badErrors)
  assert.equal(store.getState().items.length, 0)
})

test('a conflict on slug is a form error and does not run validation', async () => {
  const gw = fakeGateway({
    'configs:create': () => {
      throw new ControlError('conflict', "a config 'fallback' already exists", 'slug')
    },
  })
  const store = createConfigsStore(gw)
  assert.equal(await store.getState().create({ slug: 'fallback', name: '', text: '{}' }), null)
  assert.equal(store.getState().formError?.code, 'conflict')
  assert.equal(store.getState().formError?.path, 'slug')
  assert.equal(gw.callsTo('configs:validate').length, 0)
})

test('open fetches the current version; update sends only changed fields plus the config', async () => {
  const current = savedConfig({ id: 'c1', slug: 'fallback', name: 'Fallback', version: 2, updatedAt: 5 })
  const gw = fakeGateway({
    'configs:list': () => [savedConfig({ id: 'c1', slug: 'fallback', version: 1 })],
    'configs:get': () => current,
    'configs:update': (input) => ({ ...current, ...input, version: 3, config: input.config ?? current.config }),
  })
  const store = createConfigsStore(gw)
  await store.getState().load()
  assert.equal((await store.getState().open('c1'))?.version, 2)
  assert.deepEqual(gw.callsTo('configs:get'), [{ id: 'c1' }])
  assert.equal(store.getState().items[0]?.version, 2)

  const updated = await store.getState().update('c1', { slug: 'fallback', name: 'Fallback', text: '{"provider":"@openai-test"}' })
  assert.equal(updated?.version, 3)
  assert.deepEqual(gw.callsTo('configs:update'), [{ id: 'c1', config: { provider: '@openai-test' } }])
  assert.equal(store.getState().items[0]?.version, 3)

  await store.getState().update('c1', { slug: 'renamed', name: 'New name', text: '{}' })
  assert.deepEqual(gw.callsTo('configs:update')[1], { id: 'c1', slug: 'renamed', name: 'New name', config: {} })
})

test('a missing config on open is an action error', async () => {
  const gw = fakeGateway({
    'configs:get': () => {
      throw new ControlError('not_found', "no config 'gone'", 'id')
    },
  })
  const store = createConfigsStore(gw)
  assert.equal(await store.getState().open('gone'), null)
  assert.equal(store.getState().actionError?.code, 'not_found')
})

test('delete removes the row; a refused delete keeps it with the error', async () => {
  let refuse = false
  const gw = fakeGateway({
    'configs:list': () => [savedConfig({ id: 'a', slug: 'aa' }), savedConfig({ id: 'b', slug: 'bb' })],
    'configs:delete': () => {
      if (refuse) throw new ControlError('conflict', 'in use')
      return { deleted: true }
    },
  })
  const store = createConfigsStore(gw)
  await store.getState().load()
  assert.equal(await store.getState().remove('a'), true)
  assert.deepEqual(gw.callsTo('configs:delete'), [{ id: 'a' }])
  assert.deepEqual(store.getState().items.map((c) => c.id), ['b'])
  refuse = true
  assert.equal(await store.getState().remove('b'), false)
  assert.equal(store.getState().actionError?.code, 'conflict')
  assert.deepEqual(store.getState().items.map((c) => c.id), ['b'])
})

test('resetEditor forgets the form error and the last validation', async () => {
  const gw = fakeGateway({ 'configs:validate': () => ({ ok: false, errors: badErrors }) })
  const store = createConfigsStore(gw)
  await store.getState().validate('{}')
  await store.getState().create({ slug: 'x', name: '', text: 'nope' })
  store.getState().resetEditor()
  assert.equal(store.getState().validation, null)
  assert.equal(store.getState().formError, null)
})
