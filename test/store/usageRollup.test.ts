/** Migration 8 (hourly usage rollup): backfill, kept current by the usage writer (migration 12), and the chart query plans. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { migrate } from '../../main/store/migrate.ts'
import { ROLLUP_BINS } from '../../main/store/migrations/008_usage_rollup.ts'
import { openDb } from '../../main/store/openDb.ts'
import { createUsageWriter, type NewUsage } from '../../main/store/UsageWriter.ts'
import { usageDerived } from '../../main/store/usageDerived.ts'

const H = 3_600_000
const insertSql = `INSERT INTO usage (created_at, workspace_id, api_key_id, provider_slug, model, endpoint, status, latency_ms, ttfb_ms,
  input_tokens, output_tokens, cost_micros, metadata, trace_id) VALUES (?, 'w', 'k', 'openai', 'gpt', '/v1/chat/completions', ?, ?, ?, 10, 5, 100, ?, 't')`

test('008 usage_rollup: backfills existing rows, then the usage writer keeps it current per batch (012)', () => {
  const db = openDb(':memory:')
  migrate(db, 6)
  const before = db.prepare(insertSql)
  before.run(10 * H + 1, 200, 120, 30, JSON.stringify({ project: 'switchyard', branch: 'main' }))
  before.run(10 * H + 2, 500, 3, null, 'not json')
  migrate(db)
  // Later rows go through the usage writer: one batch, merged into the backfilled hour (ON CONFLICT).
  const writer = createUsageWriter(db, { mode: 'batch' })
  const row = (createdAt: number, latencyMs: number, ttfbMs: number, metadata: Record<string, string> | null): NewUsage => ({
    createdAt, workspaceId: 'w', apiKeyId: 'k', providerSlug: 'openai', model: 'gpt', endpoint: '/v1/chat/completions', status: 200, stream: false,
    latencyMs, ttfbMs, inputTokens: 10, outputTokens: 5, cachedTokens: null, costMicros: 100, metadata, traceId: 't', error: null,
  })
  writer.enqueue(row(10 * H + 3, 60_000, 7, { project: 'switchyard', branch: 'main' }))
  writer.enqueue(row(11 * H, 9, 1, null))
  writer.flush()
  const rows = db.prepare('SELECT * FROM usage_rollup ORDER BY hour, project').all() as Array<Record<string, number | string>>
  assert.equal(rows.length, 3)
  const [noMeta, proj, next] = rows as [Record<string, number | string>, Record<string, number | string>, Record<string, number | string>]
  assert.deepEqual([noMeta.hour, noMeta.project, noMeta.requests, noMeta.errors, noMeta.ttfb_count], [10, '', 1, 1, 0])
  assert.equal(Array.from({ length: ROLLUP_BINS }, (_, i) => noMeta[`t${i}`]).reduce((a, b) => Number(a) + Number(b), 0), 0, 'no TTFB, no TTFB bin')
  assert.deepEqual([proj.project, proj.branch, proj.requests, proj.cost_micros, proj.input_tokens, proj.latency_sum], ['switchyard', 'main', 2, 200, 20, 60_120])
  // 120 ms falls in bin 5 ([100, 200)), 60 s in the open last bin; TTFB 30 ms in bin 3, 7 ms in bin 1.
  assert.equal(proj.l5, 1)
  assert.equal(proj[`l${ROLLUP_BINS - 1}`], 1)
  assert.deepEqual([proj.t3, proj.t1, proj.ttfb_count, proj.ttfb_sum], [1, 1, 2, 37])
  assert.deepEqual([next.hour, next.requests, next.l1], [11, 1, 1])
  // The writer's batches, the per-batch statement over every row, and migration 8's backfill all agree.
  const live = db.prepare('SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7').all()
  db.exec('DELETE FROM usage_rollup')
  db.transaction(() => usageDerived(db)(1, 2))()
  db.transaction(() => usageDerived(db)(3, 4))()
  assert.deepEqual(db.prepare('SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7').all(), live)
  db.pragma('user_version = 7')
  db.exec('DROP TABLE usage_rollup')
  migrate(db, 8)
  assert.deepEqual(db.prepare('SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7').all(), live)
})

test('008 usage_rollup: chart and log queries use their indexes', () => {
  const db = openDb(':memory:')
  migrate(db)
  const plan = (sql: string, ...args: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => p.detail).join(' | ')
  assert.match(plan('SELECT hour, model, sum(requests) FROM usage_rollup WHERE hour >= ? AND hour < ? GROUP BY hour, model', 1, 2), /SEARCH usage_rollup USING PRIMARY KEY \(hour>\? AND hour<\?\)/)
  assert.match(plan('SELECT * FROM usage WHERE api_key_id = ? AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT 10', 'k', 0), /usage_by_key_time/)
  const logs = plan('SELECT * FROM usage WHERE (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT 200', 5, 5, 5)
  assert.match(logs, /usage_by_time/)
  assert.doesNotMatch(logs, /TEMP B-TREE/)
})
