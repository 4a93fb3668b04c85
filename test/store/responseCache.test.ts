/** The exact-match cache on a migrated in-memory database with a fake clock: keys, hit/miss/expiry, bounds. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { migrate } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'
import { createResponseCache } from '../../main/reliability/responseCache.ts'
import type { CachedResponse } from '../../main/reliability/responseCache.ts'
import { stableStringify } from '../../main/reliability/stableStringify.ts'

const T0 = Date.parse('2026-11-23T10:00:00.000Z')

function setup(opts: { maxEntries?: number; maxBytes?: number } = {}) {
  const db = openDb(':memory:')
  migrate(db)
  const clock = { t: T0 }
  const cache = createResponseCache(db, { ...opts, now: () => clock.t })
  return { db, clock, cache }
}

const response = (body: string, extra: Partial<CachedResponse> = {}): Omit<CachedResponse, 'createdAt'> => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(body),
  stream: false,
  inputTokens: 12,
  outputTokens: 34,
  costMicros: 560,
  ...extra,
})

test('stableStringify: sorted keys at every depth, JSON.stringify rules otherwise', () => {
  const cases: Array<[value: unknown, expected: string]> = [
    [{ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } }, '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}'],
    [{ a: undefined, b: () => 1, c: null }, '{"c":null}'],
    [[undefined, Number.NaN, Number.POSITIVE_INFINITY, 'é"'], '[null,null,null,"é\\""]'],
    [new Date(T0), JSON.stringify(new Date(T0))],
    [{ toJSON: () => ({ y: 1, x: 2 }) }, '{"x":2,"y":1}'],
    [undefined, 'null'],
    [{ shared: [1], again: [1] }, '{"again":[1],"shared":[1]}'],
  ]
  for (const [value, expected] of cases) assert.equal(stableStringify(value), expected)
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  assert.throws(() => stableStringify(cyclic), /cyclic/)
  assert.throws(() => stableStringify({ n: 1n }), /bigint/)
})

test('key: sha256 hex; field order does not matter, any content or target difference does', () => {
  const { cache } = setup()
  const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0 }
  const k = cache.key({ target: '@openai', canonical: base })
  assert.match(k, /^[0-9a-f]{64}$/)
  assert.equal(cache.key({ target: '@openai', canonical: { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'gpt-4o' } }), k)
  const different: Array<[string, unknown]> = [
    ['@anthropic', base],
    ['@openai', { ...base, temperature: 0.1 }],
    ['@openai', { ...base, messages: [{ role: 'user', content: 'hi ' }] }],
    ['@openai', { ...base, stream: true }],
    ['@openai', { ...base, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }].reverse() }],
  ]
  const keys = new Set([k, ...different.map(([target, canonical]) => cache.key({ target, canonical }))])
  assert.equal(keys.size, different.length + 1)
})

test('miss, then put, then hit with every field intact', () => {
  const { clock, cache } = setup()
  const k = cache.key({ target: 't', canonical: { q: 1 } })
  assert.equal(cache.get(k, null), null)
  assert.equal(cache.put(k, response('{"ok":true}', { headers: { 'content-type': 'application/json', 'x-request-id': 'r1' } })), true)
  clock.t += 5
  assert.deepEqual(cache.get(k, null), {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
    body: Buffer.from('{"ok":true}'),
    stream: false,
    inputTokens: 12,
    outputTokens: 34,
    costMicros: 560,
    createdAt: T0,
  })
  const s = cache.key({ target: 't', canonical: { q: 2 } })
  const sse = Buffer.from('data: {"a":1}\n\ndata: [DONE]\n\n')
  cache.put(s, { ...response(''), body: sse, stream: true, inputTokens: null, outputTokens: null, costMicros: null, createdAt: T0 - 10 })
  const hit = cache.get(s, null)
  assert.ok(hit)
  assert.ok(Buffer.isBuffer(hit.body))
  assert.deepEqual([hit.body.equals(sse), hit.stream, hit.inputTokens, hit.costMicros, hit.createdAt], [true, true, null, null, T0 - 10])
})

test('max age: a hit up to and including max_age seconds, a miss after; null means any age', () => {
  const { clock, cache } = setup()
  const k = cache.key({ target: 't', canonical: 'x' })
  cache.put(k, response('x'))
  const cases: Array<[advanceMs: number, maxAge: number | null, hit: boolean]> = [
    [0, 60, true],
    [60_000, 60, true],
    [60_001, 60, false],
    [60_001, 61, true],
    [86_400_000, null, true],
    [1, 0, false],
    [0, 0, true],
  ]
  for (const [advanceMs, maxAge, hit] of cases) {
    clock.t = T0 + advanceMs
    assert.equal(cache.get(k, maxAge) !== null, hit, `${advanceMs} ms old, max_age ${maxAge}`)
  }
  clock.t = T0 + 120_000
  assert.ok(cache.get(k, 3600), 'an expired read does not delete: another config may allow a longer age')
})

test('put replaces an existing entry and refreshes its age', () => {
  const { clock, cache } = setup()
  const k = cache.key({ target: 't', canonical: 1 })
  cache.put(k, response('old'))
  clock.t += 100_000
  cache.put(k, response('new', { status: 201 }))
  const hit = cache.get(k, 10)
  assert.deepEqual([hit?.body.toString(), hit?.status, hit?.createdAt], ['new', 201, T0 + 100_000])
})

test('prune deletes entries older than the given age and reports how many', () => {
  const { clock, cache, db } = setup()
  for (let i = 0; i < 5; i++) {
    clock.t = T0 + i * 1000
    cache.put(`k${i}`, response(`v${i}`))
  }
  clock.t = T0 + 10_000
  assert.equal(cache.prune(7_500), 3)
  assert.deepEqual(db.prepare('SELECT key FROM response_cache ORDER BY key').all(), [{ key: 'k3' }, { key: 'k4' }])
  assert.equal(cache.prune(60_000), 0)
})

test('row bound: oldest entries are evicted first', () => {
  const { clock, cache } = setup({ maxEntries: 3 })
  for (let i = 0; i < 5; i++) {
    clock.t = T0 + i
    cache.put(`k${i}`, response(`v${i}`))
  }
  assert.deepEqual(['k0', 'k1', 'k2', 'k3', 'k4'].map((k) => cache.get(k, null) !== null), [false, false, true, true, true])
})

test('byte bound: evicts oldest until the total fits; a response larger than the bound is not stored', () => {
  // Each row: body + headers JSON (34 bytes) + key (2 bytes).
  const rowBytes = (body: number) => body + JSON.stringify({ 'content-type': 'application/json' }).length + 2
  const { clock, cache } = setup({ maxBytes: rowBytes(100) * 3 })
  for (let i = 0; i < 3; i++) {
    clock.t = T0 + i
    cache.put(`k${i}`, response('x'.repeat(100)))
  }
  assert.deepEqual(['k0', 'k1', 'k2'].map((k) => cache.get(k, null) !== null), [true, true, true])
  clock.t = T0 + 10
  cache.put('k3', response('y'.repeat(150)))
  assert.deepEqual(['k0', 'k1', 'k2', 'k3'].map((k) => cache.get(k, null) !== null), [false, false, true, true])
  assert.equal(cache.put('kx', response('z'.repeat(rowBytes(100) * 3))), false)
  assert.equal(cache.get('kx', null), null)
  assert.ok(cache.get('k3', null), 'a refused put evicts nothing')
})

test('reads use the primary key; eviction and pruning use the time index', () => {
  const { db } = setup()
  const plan = (sql: string, ...args: unknown[]) => (db.prepare(sql).all(...args) as Array<{ detail: string }>).map((p) => p.detail).join(' | ')
  assert.match(plan('EXPLAIN QUERY PLAN SELECT body FROM response_cache WHERE key = ?', 'k'), /sqlite_autoindex_response_cache_1/)
  assert.match(plan('EXPLAIN QUERY PLAN SELECT rowid, bytes FROM response_cache WHERE key <> ? ORDER BY created_at, rowid', 'k'), /response_cache_by_time/)
  assert.match(plan('EXPLAIN QUERY PLAN DELETE FROM response_cache WHERE created_at < ?', 0), /response_cache_by_time/)
})
