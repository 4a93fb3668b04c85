/** Authentication against routing snapshots: a key hashed once is still judged by each snapshot (revoked, deleted, unknown). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { authenticate } from '../../main/gateway/authenticate.ts'
import type { RouteKey, RoutingTable } from '../../main/routing/RoutingTable.ts'
import { hashApiKey } from '../../main/store/apiKeysRepo.ts'

const KEY = 'sy-test-0123456789abcdef0123456789'
const key: RouteKey = { id: 'key_1', name: 'laptop', workspaceId: 'ws_default', revoked: false }
const snapshot = (keys: RouteKey[]): RoutingTable =>
  ({ keysByHash: new Map(keys.map((k) => [hashApiKey(KEY), k])), workspaces: new Map([['ws_default', { slug: 'default', archived: false }]]) }) as unknown as RoutingTable
const bearer = (k: string) => ({ headers: { authorization: `Bearer ${k}` } })

test('a known key is accepted on every request, and each new snapshot decides again', () => {
  const live = snapshot([key])
  for (let i = 0; i < 3; i++) assert.equal(authenticate(bearer(KEY), live).keyId, 'key_1')
  const codes = (t: RoutingTable, k = KEY) => {
    try {
      authenticate(bearer(k), t)
      return 'ok'
    } catch (err) {
      return (err as { code: string }).code
    }
  }
  assert.equal(codes(snapshot([{ ...key, revoked: true }])), 'invalid_api_key')
  assert.equal(codes(snapshot([])), 'invalid_api_key')
  assert.equal(codes(snapshot([{ ...key, expiresAt: 1 }])), 'api_key_expired')
  assert.equal(codes(live, `${KEY}x`), 'invalid_api_key')
  assert.equal(codes(live), 'ok')
})
