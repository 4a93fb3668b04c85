// Workspaces store: the header selector's list and selection.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createWorkspacesStore } from '../../renderer/stores/workspaces.ts'
import { fakeGateway } from './fakeGateway.ts'
import { workspace } from './fixtures.ts'

test('selects the default workspace and hides archived ones', async () => {
  const gw = fakeGateway({
    'workspaces:list': () => [
      workspace({ id: 'a', slug: 'ide', isDefault: false }),
      workspace({ id: 'b', slug: 'claude-code', isDefault: true }),
      workspace({ id: 'c', slug: 'old', isDefault: false, archivedAt: 5 }),
    ],
  })
  const store = createWorkspacesStore(gw)
  await store.getState().load()
  assert.equal(store.getState().selectedId, 'b')
  assert.deepEqual(store.getState().items.map((w) => w.id), ['a', 'b'])
})

test('keeps the user selection across reloads; ignores unknown ids', async () => {
  const gw = fakeGateway({
    'workspaces:list': () => [workspace({ id: 'a', isDefault: true }), workspace({ id: 'b', isDefault: false })],
  })
  const store = createWorkspacesStore(gw)
  await store.getState().load()
  store.getState().select('b')
  store.getState().select('nope')
  await store.getState().load()
  assert.equal(store.getState().selectedId, 'b')
})
