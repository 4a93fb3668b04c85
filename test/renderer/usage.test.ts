// Usage analytics store: the query a state stands for, loads and quiet refreshes, filters and grouping.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { UsageAnalytics, UsageFacets } from '../../preload/contract.ts'
import { ControlError } from '../../renderer/lib/gateway.ts'
import { analyticsQuery, createUsageStore, usageRangeMs } from '../../renderer/stores/usage.ts'
import { deferred, fakeGateway } from './fakeGateway.ts'

const NOW = 1_800_000_000_000
const empty: UsageAnalytics = {
  bucketMs: 3_600_000,
  buckets: [],
  total: { key: 'total', points: [], totals: { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costMicros: 0, avgLatencyMs: null, latencyP50Ms: null, latencyP95Ms: null, ttfbP50Ms: null, ttfbP95Ms: null } },
  groups: [],
  source: 'rollup',
}
const facets: UsageFacets = { workspaces: [], providers: ['openai'], models: [], apiKeys: [], projects: ['switchyard'], branches: [], metadataKeys: ['ticket'] }

test('analyticsQuery: range, offset, only the filters that are set, one metadata pair, grouping', () => {
  assert.deepEqual(analyticsQuery({ range: '24h', filters: {}, groupBy: null }, NOW, 60), { since: NOW - usageRangeMs['24h'], until: NOW, utcOffsetMinutes: 60 })
  assert.deepEqual(
    analyticsQuery({ range: '1h', filters: { providerSlug: 'openai', project: '', metadata: { key: 'ticket', value: 'T-1' } }, groupBy: 'metadata:ticket' }, NOW, 0),
    { since: NOW - 3_600_000, until: NOW, utcOffsetMinutes: 0, providerSlug: 'openai', metadata: { ticket: 'T-1' }, groupBy: 'metadata:ticket' },
  )
  assert.equal(analyticsQuery({ range: '7d', filters: { metadata: { key: 'ticket', value: '' } }, groupBy: null }, NOW, 0).metadata, undefined)
})

test('load asks for analytics and facets; setFilter and setGroupBy reload with the new query', async () => {
  const gw = fakeGateway({ 'usage:analytics': () => empty, 'usage:facets': () => facets })
  const store = createUsageStore(gw, { now: () => NOW, utcOffsetMinutes: () => 0 })
  await store.getState().load()
  assert.equal(store.getState().data, empty)
  assert.equal(store.getState().facets, facets)
  assert.deepEqual(gw.callsTo('usage:facets'), [{ since: NOW - usageRangeMs['24h'], until: NOW }])
  await store.getState().setFilter('providerSlug', 'openai')
  await store.getState().setGroupBy('project')
  await store.getState().setRange('7d')
  await store.getState().setFilter('providerSlug', undefined)
  const calls = gw.callsTo('usage:analytics') as Array<Record<string, unknown>>
  assert.equal(calls.length, 5)
  assert.equal(calls[1]?.providerSlug, 'openai')
  assert.equal(calls[2]?.groupBy, 'project')
  assert.equal(calls[3]?.since, NOW - usageRangeMs['7d'])
  assert.equal(calls[4]?.providerSlug, undefined)
})

test('refresh keeps the charts on screen (no loading state); an error is kept as data; stale answers are ignored', async () => {
  const slow = deferred<UsageAnalytics>()
  let n = 0
  const gw = fakeGateway({
    'usage:analytics': () => (++n === 1 ? slow.promise : n === 2 ? empty : Promise.reject(new ControlError('unreachable', 'down'))),
    'usage:facets': () => facets,
  })
  const store = createUsageStore(gw, { now: () => NOW, utcOffsetMinutes: () => 0 })
  const first = store.getState().load()
  const second = store.getState().refresh()
  assert.equal(store.getState().loading, true, 'the first load shows loading')
  await second
  slow.resolve({ ...empty, source: 'rows' })
  await first
  assert.equal(store.getState().data?.source, 'rollup', 'the older answer did not overwrite the newer')
  await store.getState().refresh()
  assert.equal(store.getState().error?.code, 'unreachable')
  assert.equal(store.getState().data?.source, 'rollup', 'the charts stay while the error shows')
})
