// Usage store: rows newest first, summaries by provider and day, range and scope filters.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ControlError } from '../../renderer/lib/gateway.ts'
import { createUsageStore, totalUsage, usageRangeMs, USAGE_ROW_LIMIT } from '../../renderer/stores/usage.ts'
import { fakeGateway } from './fakeGateway.ts'
import { summaryRow, usageRow } from './fixtures.ts'

const NOW = 1_800_000_000_000

function gateway() {
  return fakeGateway({
    'usage:query': () => [usageRow({ id: 1, createdAt: 10 }), usageRow({ id: 3, createdAt: 30 }), usageRow({ id: 2, createdAt: 30 })],
    'usage:summary': (q) =>
      q.groupBy === 'provider'
        ? [summaryRow({ key: 'cheap', costMicros: 1 }), summaryRow({ key: 'dear', costMicros: 9_000_000, requests: 3, errors: 1 })]
        : [summaryRow({ key: '2026-11-23' }), summaryRow({ key: '2026-11-22' })],
  })
}

test('load queries the last 24h of all workspaces and orders rows newest first', async () => {
  const gw = gateway()
  const store = createUsageStore(gw, { now: () => NOW, timeZone: 'Europe/Berlin' })
  await store.getState().load('ws_default')
  const since = NOW - usageRangeMs['24h']
  assert.deepEqual(gw.callsTo('usage:query'), [{ since, limit: USAGE_ROW_LIMIT }])
  assert.deepEqual(gw.callsTo('usage:summary'), [
    { since, groupBy: 'provider' },
    { since, groupBy: 'day', timeZone: 'Europe/Berlin' },
  ])
  const s = store.getState()
  assert.deepEqual(s.rows.map((r) => r.id), [3, 2, 1])
  assert.deepEqual(s.byProvider.map((r) => r.key), ['dear', 'cheap'])
  assert.deepEqual(s.byDay.map((r) => r.key), ['2026-11-22', '2026-11-23'])
  assert.equal(s.loadedAt, NOW)
})

test('scope "workspace" and a wider range change the filter', async () => {
  const gw = gateway()
  const store = createUsageStore(gw, { now: () => NOW, timeZone: 'UTC' })
  await store.getState().load('ws_a')
  await store.getState().setScope('workspace')
  await store.getState().setRange('7d')
  const last = gw.callsTo('usage:query').at(-1)
  assert.deepEqual(last, { since: NOW - usageRangeMs['7d'], workspaceId: 'ws_a', limit: USAGE_ROW_LIMIT })
})

test('an error is kept with its code', async () => {
  const gw = fakeGateway({
    'usage:query': () => {
      throw new ControlError('internal_error', 'database is locked')
    },
    'usage:summary': () => [],
  })
  const store = createUsageStore(gw, { now: () => NOW })
  await store.getState().load(null)
  assert.equal(store.getState().error?.code, 'internal_error')
  assert.equal(store.getState().loading, false)
})

test('totalUsage adds integer micro-USD and counts', () => {
  const total = totalUsage([
    summaryRow({ requests: 2, errors: 1, inputTokens: 5, outputTokens: 7, cachedTokens: 1, costMicros: 1 }),
    summaryRow({ requests: 3, errors: 0, inputTokens: 10, outputTokens: 20, cachedTokens: 2, costMicros: 2 }),
  ])
  assert.deepEqual(total, { requests: 5, errors: 1, inputTokens: 15, outputTokens: 27, cachedTokens: 3, costMicros: 3 })
})
