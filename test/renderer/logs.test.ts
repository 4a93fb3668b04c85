// Logs store: first page, keyset paging, filters on the server, the live tail (prepend, pause, cap).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { UsageBodies, UsageLogQuery } from '../../preload/contract.ts'
import { createLogsStore, LOG_PAGE, matchesLogFilters, MAX_LOG_ROWS } from '../../renderer/stores/logs.ts'
import { deferred, fakeGateway } from './fakeGateway.ts'
import { usageRow } from './fixtures.ts'

/** A server with `total` rows, ids total..1, newest first, honouring `before` and `limit`. */
function server(total: number) {
  return fakeGateway({
    'usage:logs': (q: UsageLogQuery) => {
      const out = []
      const start = q.before ? q.before.id - 1 : total
      for (let id = start; id >= 1 && out.length < (q.limit ?? 200); id--) out.push(usageRow({ id, createdAt: id * 10 }))
      return out
    },
  })
}

test('load gets the first page; loadMore continues after the last row seen until the end', async () => {
  const gw = server(LOG_PAGE + 20)
  const store = createLogsStore(gw)
  await store.getState().load()
  assert.equal(store.getState().rows.length, LOG_PAGE)
  assert.equal(store.getState().hasMore, true)
  await store.getState().loadMore()
  assert.equal(store.getState().rows.length, LOG_PAGE + 20)
  assert.equal(store.getState().hasMore, false)
  assert.deepEqual(gw.callsTo('usage:logs')[1], { limit: LOG_PAGE, before: { createdAt: 210, id: 21 } })
  await store.getState().loadMore()
  assert.equal(gw.callsTo('usage:logs').length, 2, 'no call past the end')
})

test('filters go to the server; empty ones are dropped', async () => {
  const gw = server(3)
  const store = createLogsStore(gw)
  await store.getState().setFilters({ search: 'gpt', status: 'error', model: '' })
  assert.deepEqual(gw.callsTo('usage:logs'), [{ limit: LOG_PAGE, search: 'gpt', status: 'error' }])
  assert.deepEqual(store.getState().filters, { search: 'gpt', status: 'error' })
})

test('the live tail puts matching rows on top, skips duplicates, counts them while paused', async () => {
  const store = createLogsStore(server(2))
  await store.getState().load()
  store.getState().receive([usageRow({ id: 4, createdAt: 40 }), usageRow({ id: 3, createdAt: 30 }), usageRow({ id: 2, createdAt: 20 })])
  assert.deepEqual(store.getState().rows.map((r) => r.id), [4, 3, 2, 1])
  await store.getState().setFilters({ status: 'error' })
  store.getState().receive([usageRow({ id: 5, createdAt: 50, status: 200 }), usageRow({ id: 6, createdAt: 60, status: 502 })])
  assert.equal(store.getState().rows[0]?.id, 6)
  assert.ok(!store.getState().rows.some((r) => r.id === 5), 'a row that does not match stays out')
  await store.getState().setLive(false)
  store.getState().receive([usageRow({ id: 7, createdAt: 70, status: 500 })])
  assert.equal(store.getState().missed, 1)
  assert.notEqual(store.getState().rows[0]?.id, 7)
})

test('the tail stops at MAX_LOG_ROWS, dropping the oldest (they can be paged back in)', () => {
  const store = createLogsStore(server(0))
  const many = Array.from({ length: MAX_LOG_ROWS + 5 }, (_, i) => usageRow({ id: i + 1, createdAt: i + 1 }))
  store.getState().receive(many)
  assert.equal(store.getState().rows.length, MAX_LOG_ROWS)
  assert.equal(store.getState().rows[0]?.id, MAX_LOG_ROWS + 5)
  assert.equal(store.getState().hasMore, true)
})

test('matchesLogFilters follows the server: case-insensitive search over model, provider, trace, error, metadata', () => {
  const row = usageRow({ model: 'GPT-4o', providerSlug: 'openai', traceId: 'abc', error: null, metadata: { project: 'switchyard', branch: 'main' }, status: 200 })
  assert.equal(matchesLogFilters(row, { search: 'gpt' }), true)
  assert.equal(matchesLogFilters(row, { search: 'SWITCH' }), true)
  assert.equal(matchesLogFilters(row, { search: 'nope' }), false)
  assert.equal(matchesLogFilters(row, { project: 'switchyard', branch: 'main' }), true)
  assert.equal(matchesLogFilters(row, { branch: 'dev' }), false)
  assert.equal(matchesLogFilters(row, { status: 'error' }), false)
})

test('loadBodies fetches the row’s captured bodies; an answer for a row no longer shown is dropped', async () => {
  const late = deferred<UsageBodies>()
  const gw = fakeGateway({ 'usage:body': (a: { id: number }) => (a.id === 1 ? late.promise : { captured: true, request: '{}', response: null, requestTruncated: false, responseTruncated: true }) })
  const store = createLogsStore(gw)
  const first = store.getState().loadBodies(1)
  assert.deepEqual(store.getState().bodies, { id: 1, value: null, error: null }, 'loading')
  await store.getState().loadBodies(2)
  late.resolve({ captured: false })
  await first
  assert.deepEqual(store.getState().bodies, { id: 2, value: { captured: true, request: '{}', response: null, requestTruncated: false, responseTruncated: true }, error: null })
})
