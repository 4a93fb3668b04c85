/** The chart, facet and log queries: rollup and row paths agree; groups, filters, percentiles, paging. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pruneUsage } from '../../main/settings/appSettings.ts'
import { migrate } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'
import { binOf, percentileOf, usageAnalytics } from '../../main/store/usageAnalytics.ts'
import { usageDerived } from '../../main/store/usageDerived.ts'

const H = 3_600_000
const NOW = 1_000 * H

function seeded() {
  const db = openDb(':memory:')
  migrate(db)
  const insert = db.prepare(`INSERT INTO usage (created_at, workspace_id, api_key_id, provider_slug, model, endpoint, status, latency_ms, ttfb_ms,
    input_tokens, output_tokens, cost_micros, metadata, trace_id) VALUES (?, ?, ?, ?, ?, '/v1/chat/completions', ?, ?, ?, ?, ?, ?, ?, ?)`)
  // 48 hours, one request every 10 minutes; every 6th fails; two projects. One batch, as the usage writer writes.
  db.transaction(() => {
    for (let i = 0; i < 288; i++) {
      const t = NOW - 48 * H + i * 600_000
      const project = i % 2 ? 'alpha' : 'beta'
      insert.run(t, i % 3 ? 'ws1' : 'ws2', 'key1', i % 4 ? 'openai' : 'anthropic', i % 4 ? 'gpt-4o' : 'claude', i % 6 ? 200 : 500, 100 + i, 20 + (i % 10), 10, 5, 1000, JSON.stringify({ project, branch: 'main', ticket: `T-${i % 3}` }), `trace-${i}`)
    }
    usageDerived(db)(1, 288)
  })()
  return { db, repo: usageAnalytics(db) }
}

test('percentiles come from the bins, interpolated; bins match the migration', () => {
  assert.deepEqual([binOf(0), binOf(4), binOf(5), binOf(99), binOf(100), binOf(1e9)], [0, 0, 1, 4, 5, 17])
  const hist = new Array<number>(18).fill(0)
  hist[5] = 10 // ten requests between 100 and 200 ms
  assert.equal(percentileOf(hist, 0.5), 150)
  assert.equal(percentileOf(hist, 1), 200)
  assert.equal(percentileOf(new Array<number>(18).fill(0), 0.5), null)
})

test('a 24h chart reads the rollup in hour buckets; totals match the rows', () => {
  const { repo } = seeded()
  const a = repo.analytics({ since: NOW - 24 * H, until: NOW }, NOW)
  assert.equal(a.source, 'rollup')
  assert.equal(a.bucketMs, H)
  assert.equal(a.buckets.length, 24)
  assert.equal(a.total.totals.requests, 144)
  assert.equal(a.total.totals.errors, 24)
  assert.equal(a.total.totals.costMicros, 144_000)
  assert.equal(a.total.points[0]?.requests, 6)
  assert.ok((a.total.totals.latencyP50Ms ?? 0) >= 200 && (a.total.totals.latencyP95Ms ?? 0) <= 500)
})

test('the row path (short range or arbitrary metadata) agrees with the rollup', () => {
  const { repo } = seeded()
  const viaRollup = repo.analytics({ since: NOW - 24 * H, until: NOW, groupBy: 'project' }, NOW)
  // With a dimension filter too, a metadata group reads the rows (every row has key1); alone, the metadata rollup.
  const viaRows = repo.analytics({ since: NOW - 24 * H, until: NOW, groupBy: 'metadata:project', apiKeyId: 'key1' }, NOW)
  assert.equal(viaRows.source, 'rows')
  assert.deepEqual(viaRows.groups.map((g) => [g.key, g.totals]), viaRollup.groups.map((g) => [g.key, g.totals]))
  const viaMetaRollup = repo.analytics({ since: NOW - 24 * H, until: NOW, groupBy: 'metadata:project' }, NOW)
  assert.equal(viaMetaRollup.source, 'rollup')
  assert.deepEqual(viaMetaRollup.groups.map((g) => [g.key, g.totals]), viaRollup.groups.map((g) => [g.key, g.totals]))
  assert.deepEqual(viaMetaRollup.total, viaRows.total)
  const short = repo.analytics({ since: NOW - 2 * H, until: NOW }, NOW)
  assert.equal(short.source, 'rows')
  assert.equal(short.bucketMs, 300_000)
  assert.equal(short.total.totals.requests, 12)
})

test('filters and groups: provider, project, API key, arbitrary metadata; extra groups fold into (other)', () => {
  const { repo } = seeded()
  const since = NOW - 48 * H
  const byProvider = repo.analytics({ since, until: NOW, groupBy: 'provider' }, NOW)
  assert.deepEqual(byProvider.groups.map((g) => [g.key, g.totals.requests]), [['openai', 216], ['anthropic', 72]])
  assert.equal(repo.analytics({ since, until: NOW, project: 'alpha', providerSlug: 'openai' }, NOW).total.totals.requests, 144)
  assert.equal(repo.analytics({ since, until: NOW, apiKeyId: 'nope' }, NOW).total.totals.requests, 0)
  assert.equal(repo.analytics({ since, until: NOW, metadata: { ticket: 'T-1' } }, NOW).total.totals.requests, 96)
  const folded = repo.analytics({ since, until: NOW, groupBy: 'metadata:ticket', maxGroups: 2 }, NOW)
  assert.equal(folded.groups.length, 2)
  assert.equal(folded.groups[1]?.key, '(other)')
  assert.equal(folded.groups.reduce((n, g) => n + g.totals.requests, 0), 288)
})

test('day buckets start at local midnight for the offset given', () => {
  const { repo } = seeded()
  const a = repo.analytics({ since: NOW - 30 * 24 * H, until: NOW, utcOffsetMinutes: 120 }, NOW)
  assert.equal(a.bucketMs, 24 * H)
  for (const b of a.buckets) assert.equal((b + 2 * H) % (24 * H), 0)
  assert.equal(a.total.totals.requests, 288)
})

test('facets list what was seen; logs page by the last row and search', () => {
  const { repo } = seeded()
  const f = repo.facets({ since: NOW - 48 * H, until: NOW }, NOW)
  assert.deepEqual(f.providers, ['anthropic', 'openai'])
  assert.deepEqual(f.projects, ['alpha', 'beta'])
  assert.deepEqual(f.metadataKeys, ['branch', 'project', 'ticket'])
  const first = repo.logs({ limit: 100 })
  assert.equal(first.length, 100)
  const last = first.at(-1)!
  const second = repo.logs({ limit: 500, before: { createdAt: last.createdAt, id: last.id } })
  assert.equal(second.length, 188)
  assert.ok(second.every((r) => r.id < last.id))
  assert.deepEqual(repo.logs({ search: 'trace-28' }).map((r) => r.traceId).sort(), ['trace-28', 'trace-280', 'trace-281', 'trace-282', 'trace-283', 'trace-284', 'trace-285', 'trace-286', 'trace-287'])
  assert.equal(repo.logs({ search: '100%' }).length, 0, 'LIKE wildcards in the search are literal')
  assert.equal(repo.logs({ status: 'error', limit: 1000 }).length, 48)
})

/** Records each statement the repo runs with its parameters, to read the plan SQLite chose for it. */
function planned(db: ReturnType<typeof seeded>['db']) {
  const runs: Array<{ sql: string; params: unknown }> = []
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    const st = prepare(sql)
    const iterate = st.iterate.bind(st)
    st.iterate = ((params: unknown) => (runs.push({ sql, params }), iterate(params))) as typeof st.iterate
    return st
  }) as typeof db.prepare
  const plans = () => runs.map((r) => (prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(r.params) as Array<{ detail: string }>).map((p) => p.detail).join(' | '))
  return plans
}

test('metadata filters and groups read the metadata index and its rollup (migration 12), with the plans that keep them fast', () => {
  const { db, repo } = seeded()
  const since = NOW - 48 * H
  const plans = planned(db)
  // Alone over a long range: the metadata rollup; with a dimension filter or a short range: the index of pairs, then the rows.
  const cases = [
    [{ since, until: NOW, metadata: { ticket: 'T-1' } }, 'rollup'],
    [{ since, until: NOW, metadata: { ticket: 'T-1' }, workspaceId: 'ws1' }, 'rows'],
    [{ since: NOW - 2 * H, until: NOW, metadata: { ticket: 'T-1' } }, 'rows'],
    [{ since, until: NOW, groupBy: 'metadata:ticket' }, 'rollup'],
    [{ since, until: NOW, groupBy: 'metadata:ticket', workspaceId: 'ws1' }, 'rows'],
  ] as const
  const results = cases.map(([q, source]) => {
    const a = repo.analytics(q, NOW)
    assert.equal(a.source, source)
    return a
  })
  assert.deepEqual(results.map((a) => a.total.totals.requests), [96, 96, 4, 288, 192])
  assert.deepEqual(results[3]?.groups.map((g) => [g.key, g.totals.requests]), [['T-0', 96], ['T-1', 96], ['T-2', 96]])
  assert.deepEqual(results[4]?.groups.map((g) => [g.key, g.totals.requests]), [['T-1', 96], ['T-2', 96]])
  // One statement per query, but two for a key's groups over the rollups (all rows, then those with the key).
  const [pair, pairRows, , byKeyAll, byKey, byKeyRows] = plans()
  assert.match(byKeyAll ?? '', /SEARCH usage_rollup USING PRIMARY KEY \(hour>\? AND hour<\?\)/)
  assert.match(pair ?? '', /SEARCH usage_meta_rollup USING PRIMARY KEY \(key=\? AND value=\? AND hour>\? AND hour<\?\)/)
  assert.match(pairRows ?? '', /SEARCH usage_meta USING COVERING INDEX usage_meta_by_value \(key=\? AND value=\? AND created_at>\? AND created_at<\?\)/)
  assert.match(pairRows ?? '', /SEARCH usage USING INTEGER PRIMARY KEY \(rowid=\?\)/)
  assert.match(byKey ?? '', /SEARCH usage_meta_rollup USING PRIMARY KEY \(key=\?\)/)
  assert.match(byKeyRows ?? '', /SEARCH usage_meta USING PRIMARY KEY \(usage_id=\? AND key=\?\)/)
  assert.equal(repo.logs({ metadata: { ticket: 'T-2' }, limit: 1000 }).length, 96)
  // The index is what answers: without its ticket pairs, nothing matches and every row is (none).
  db.exec("DELETE FROM usage_meta WHERE key = 'ticket'; DELETE FROM usage_meta_rollup WHERE key = 'ticket'")
  assert.equal(repo.analytics({ since, until: NOW, metadata: { ticket: 'T-1' } }, NOW).total.totals.requests, 0)
  assert.equal(repo.analytics({ since, until: NOW, metadata: { ticket: 'T-1' }, workspaceId: 'ws1' }, NOW).total.totals.requests, 0)
  assert.deepEqual(repo.analytics({ since, until: NOW, groupBy: 'metadata:ticket' }, NOW).groups.map((g) => [g.key, g.totals.requests]), [['(none)', 288]])
  assert.deepEqual(repo.analytics({ since, until: NOW, groupBy: 'metadata:ticket', workspaceId: 'ws1' }, NOW).groups.map((g) => [g.key, g.totals.requests]), [['(none)', 192]])
})

test('a metadata value too long for the index is still found, from the row', () => {
  const { db, repo } = seeded()
  const note = 'n'.repeat(300)
  db.transaction(() => {
    const id = Number(db.prepare("INSERT INTO usage (created_at, endpoint, status, latency_ms, trace_id, metadata) VALUES (?, '/v1/chat/completions', 200, 5, 'long', ?)").run(NOW - H, JSON.stringify({ note })).lastInsertRowid)
    usageDerived(db)(id, id)
  })()
  assert.equal((db.prepare("SELECT count(*) AS n FROM usage_meta WHERE key = 'note'").get() as { n: number }).n, 0)
  assert.equal(repo.analytics({ since: NOW - 48 * H, until: NOW, metadata: { note } }, NOW).total.totals.requests, 1)
})

test('retention prunes the metadata pairs with their usage rows', () => {
  const { db, repo } = seeded()
  const count = () => (db.prepare('SELECT count(*) AS n FROM usage_meta').get() as { n: number }).n
  assert.equal(count(), 288 * 3)
  // Keep the last 24 hours: the 144 older rows and their pairs go.
  assert.equal(pruneUsage(db, 1, NOW), 144)
  assert.equal(count(), 144 * 3)
  assert.equal((db.prepare('SELECT count(*) AS n FROM usage_meta m LEFT JOIN usage u ON u.id = m.usage_id WHERE u.id IS NULL').get() as { n: number }).n, 0)
  assert.equal(repo.logs({ metadata: { ticket: 'T-0' }, limit: 1000 }).length, 48)
})
