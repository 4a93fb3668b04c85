/** One test per migration (Signal's habit): migrate to N-1, insert, migrate to N, assert. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { latestVersion, migrate, migrations, schemaVersion } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'
import { createUsageWriter } from '../../main/store/UsageWriter.ts'
import { usageRepo } from '../../main/store/usageRepo.ts'

test('migrations are numbered upwards from 1, ending at latestVersion', () => {
  // Numbers are reserved per branch, so one may land before its predecessor: ascending, not gapless.
  const versions = migrations.map((m) => m.version)
  assert.equal(versions[0], 1)
  assert.deepEqual(versions, [...versions].sort((a, b) => a - b))
  assert.equal(new Set(versions).size, versions.length)
  assert.equal(versions.at(-1), latestVersion)
})

test('001 init: creates the catalog, vault and usage tables on an empty database', () => {
  const db = openDb(':memory:')
  migrate(db, 0)
  assert.equal(schemaVersion(db), 0)
  migrate(db, 1)
  assert.equal(schemaVersion(db), 1)
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name)
  assert.deepEqual(tables, ['api_keys', 'integration_workspaces', 'integrations', 'meta', 'models', 'providers', 'secrets', 'usage', 'workspaces'])
  db.prepare("INSERT INTO workspaces (id, slug, name, created_at) VALUES ('w', 'w', 'W', 0)").run()
  assert.throws(() => db.prepare("INSERT INTO api_keys (id, workspace_id, name, hash, prefix, created_at) VALUES ('k', 'missing', 'n', 'h', 'p', 0)").run(), /FOREIGN KEY/)
})

test('migrating twice is a no-op, and a newer database is refused', () => {
  const db = openDb(':memory:')
  migrate(db)
  migrate(db)
  assert.equal(schemaVersion(db), latestVersion)
  db.pragma(`user_version = ${latestVersion + 1}`)
  assert.throws(() => migrate(db), /newer than this Switchyard/)
})

test('the usage-by-time query uses its index', () => {
  const db = openDb(':memory:')
  migrate(db)
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM usage WHERE created_at >= ? ORDER BY created_at DESC LIMIT 100').all(0) as Array<{ detail: string }>
  assert.ok(plan.some((p) => p.detail.includes('usage_by_time')), JSON.stringify(plan))
  const byWs = db.prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM usage WHERE workspace_id = ? AND created_at >= ?').all('w', 0) as Array<{ detail: string }>
  assert.ok(byWs.some((p) => p.detail.includes('usage_by_workspace_time')), JSON.stringify(byWs))
})

test('002 governance: adds limit tables and usage columns; old rows that reached a provider count as admitted', () => {
  const db = openDb(':memory:')
  migrate(db, 1)
  db.prepare("INSERT INTO workspaces (id, slug, name, created_at) VALUES ('w', 'w', 'W', 0)").run()
  db.prepare("INSERT INTO integrations (id, slug, name, kind, created_at, updated_at) VALUES ('i', 'openai', 'OpenAI', 'openai', 0, 0)").run()
  db.prepare("INSERT INTO providers (id, slug, name, integration_id, created_at) VALUES ('p', 'openai', 'OpenAI', 'i', 0)").run()
  const insert = db.prepare("INSERT INTO usage (created_at, workspace_id, provider_slug, endpoint, status, latency_ms, cost_micros, trace_id) VALUES (?, 'w', ?, '/v1/chat/completions', ?, 1, ?, 't')")
  insert.run(1, 'openai', 200, 125)
  insert.run(2, null, 401, null)
  migrate(db, 2)
  assert.equal(schemaVersion(db), 2)
  const rows = db.prepare('SELECT provider_id, integration_id, admitted, cache_write_tokens, reasoning_tokens FROM usage ORDER BY created_at').all()
  assert.deepEqual(rows, [
    { provider_id: 'p', integration_id: 'i', admitted: 1, cache_write_tokens: null, reasoning_tokens: null },
    { provider_id: null, integration_id: null, admitted: 0, cache_write_tokens: null, reasoning_tokens: null },
  ])
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name)
  for (const t of ['limit_policies', 'model_access', 'custom_models', 'budget_alerts']) assert.ok(tables.includes(t), t)
  const flags = db.prepare("SELECT auto_provision, auto_enable_models, created_in_workspace_id, price FROM integrations WHERE id = 'i'").get()
  assert.deepEqual(flags, { auto_provision: 0, auto_enable_models: 1, created_in_workspace_id: null, price: null }, 'existing integrations keep every model enabled')
  db.prepare("DELETE FROM integrations WHERE id = 'i'").run()
  db.prepare("INSERT INTO integrations (id, slug, name, kind, created_at, updated_at) VALUES ('j', 'x', 'X', 'openai', 0, 0)").run()
  db.prepare("INSERT INTO model_access (integration_id, model, enabled) VALUES ('j', 'gpt-4o', 0)").run()
  db.prepare("DELETE FROM integrations WHERE id = 'j'").run()
  assert.equal((db.prepare('SELECT count(*) AS n FROM model_access').get() as { n: number }).n, 0, 'model access goes with its integration')
})

test('the rebuild queries of limit counters use their indexes', () => {
  const db = openDb(':memory:')
  migrate(db)
  for (const [col, index] of [['api_key_id', 'usage_by_key_time'], ['provider_id', 'usage_by_provider_time'], ['integration_id', 'usage_by_integration_time'], ['workspace_id', 'usage_by_workspace_time']]) {
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT sum(cost_micros) FROM usage WHERE ${col} = ? AND created_at >= ? AND created_at < ? AND admitted = 1`).all('x', 0, 1) as Array<{ detail: string }>
    assert.ok(plan.some((p) => p.detail.includes(index as string)), JSON.stringify(plan))
  }
})

test('003 model aliases: one scope per row, removed with their workspace or key', () => {
  const db = openDb(':memory:')
  migrate(db, 2)
  db.prepare("INSERT INTO workspaces (id, slug, name, created_at) VALUES ('w', 'w', 'W', 0)").run()
  db.prepare("INSERT INTO api_keys (id, workspace_id, name, hash, prefix, created_at) VALUES ('k', 'w', 'n', 'h', 'p', 0)").run()
  migrate(db, 3)
  const insert = db.prepare('INSERT INTO model_aliases (id, workspace_id, api_key_id, position, pattern, target, created_at) VALUES (?, ?, ?, 0, ?, ?, 0)')
  insert.run('a1', 'w', null, 'claude-*', '@local/qwen3')
  insert.run('a2', null, 'k', 'claude-haiku-*', '@local/llama3.2')
  assert.throws(() => insert.run('a3', 'w', 'k', 'x', '@p/y'), /CHECK/, 'exactly one scope')
  assert.throws(() => insert.run('a4', null, null, 'x', '@p/y'), /CHECK/)
  db.prepare("DELETE FROM api_keys WHERE id = 'k'").run()
  assert.deepEqual(db.prepare('SELECT id FROM model_aliases').all(), [{ id: 'a1' }])
})

test('004 guardrails: one set per workspace, removed with it; usage rows gain a guardrails column', () => {
  const db = openDb(':memory:')
  migrate(db, 3)
  db.prepare("INSERT INTO workspaces (id, slug, name, created_at) VALUES ('w', 'w', 'W', 0)").run()
  db.prepare("INSERT INTO usage (created_at, endpoint, status, latency_ms, trace_id) VALUES (1, '/v1/chat/completions', 200, 1, 't')").run()
  migrate(db, 4)
  assert.equal(schemaVersion(db), 4)
  assert.deepEqual(db.prepare('SELECT guardrails FROM usage').all(), [{ guardrails: null }], 'old rows have no results')
  db.prepare("INSERT INTO workspace_guardrails (workspace_id, guardrails, updated_at) VALUES ('w', '{\"input\":[]}', 0)").run()
  assert.throws(() => db.prepare("INSERT INTO workspace_guardrails (workspace_id, guardrails, updated_at) VALUES ('w', '{}', 0)").run(), /UNIQUE|PRIMARY KEY/)
  assert.throws(() => db.prepare("INSERT INTO workspace_guardrails (workspace_id, guardrails, updated_at) VALUES ('nope', '{}', 0)").run(), /FOREIGN KEY/)
  db.prepare("DELETE FROM workspaces WHERE id = 'w'").run()
  assert.equal((db.prepare('SELECT count(*) AS n FROM workspace_guardrails').get() as { n: number }).n, 0)
})

test('006 response cache: one row per key, a body of raw bytes, a time index; earlier data untouched', () => {
  const db = openDb(':memory:')
  migrate(db, 5)
  db.prepare("INSERT INTO workspaces (id, slug, name, created_at) VALUES ('w', 'w', 'W', 0)").run()
  migrate(db, 6)
  assert.equal(schemaVersion(db), 6)
  assert.equal((db.prepare('SELECT count(*) AS n FROM workspaces').get() as { n: number }).n, 1)
  const insert = db.prepare("INSERT INTO response_cache (key, status, headers, body, stream, bytes, created_at) VALUES (?, 200, '{}', ?, ?, 3, 1)")
  insert.run('k', Buffer.from([0, 255, 10]), 0)
  assert.deepEqual(db.prepare('SELECT body, input_tokens, output_tokens, cost_micros FROM response_cache').get(), { body: Buffer.from([0, 255, 10]), input_tokens: null, output_tokens: null, cost_micros: null })
  assert.throws(() => insert.run('k', Buffer.from('x'), 0), /UNIQUE|PRIMARY KEY/)
  assert.throws(() => insert.run('k2', Buffer.from('x'), 2), /CHECK/)
  const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'response_cache' AND sql IS NOT NULL").all() as Array<{ name: string }>).map((i) => i.name)
  assert.deepEqual(indexes, ['response_cache_by_time'])
})

test('005 configs: a config and its versions; deleting the config removes its versions', () => {
  const db = openDb(':memory:')
  migrate(db, 4)
  migrate(db, 5)
  db.prepare("INSERT INTO configs (id, slug, name, version, created_at, updated_at) VALUES ('c', 'resilient', 'R', 2, 0, 0)").run()
  const v = db.prepare('INSERT INTO config_versions (config_id, version, body, created_at) VALUES (?, ?, ?, 0)')
  v.run('c', 1, '{"provider":"@a"}')
  v.run('c', 2, '{"provider":"@b"}')
  assert.throws(() => v.run('c', 2, '{}'), /UNIQUE|PRIMARY/, 'a version is written once')
  assert.throws(() => db.prepare("INSERT INTO configs (id, slug, name, version, created_at, updated_at) VALUES ('d', 'resilient', 'D', 1, 0, 0)").run(), /UNIQUE/)
  db.prepare("DELETE FROM configs WHERE id = 'c'").run()
  assert.equal((db.prepare('SELECT count(*) AS n FROM config_versions').get() as { n: number }).n, 0)
})

test('007 crash-safe usage: rows gain usage_source (NULL for earlier rows, only known values accepted); a usage journal', () => {
  const db = openDb(':memory:')
  migrate(db, 6)
  db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id) VALUES (1, '/v1/chat/completions', 200, 0, 5, 't')").run()
  migrate(db, 7)
  assert.equal(schemaVersion(db), 7)
  assert.equal((db.prepare('SELECT usage_source FROM usage').get() as { usage_source: string | null }).usage_source, null)
  db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id, usage_source) VALUES (2, '/v1/chat/completions', 499, 1, 5, 'u', 'delivered')").run()
  assert.throws(() => db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id, usage_source) VALUES (3, '/x', 200, 0, 5, 'v', 'guess')").run(), /CHECK/)
  db.prepare("INSERT INTO usage_journal (row) VALUES ('{}')").run()
  assert.equal((db.prepare('SELECT count(*) AS n FROM usage_journal').get() as { n: number }).n, 1)
})

test('010 usage attempts: rows gain a JSON attempts column (NULL for earlier rows), written and read back whole', () => {
  const db = openDb(':memory:')
  migrate(db, 9)
  db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id) VALUES (1, '/v1/chat/completions', 200, 0, 5, 't')").run()
  migrate(db, 10)
  assert.equal(schemaVersion(db), 10)
  assert.equal((db.prepare('SELECT attempts FROM usage').get() as { attempts: string | null }).attempts, null)
  assert.throws(() => db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id, attempts) VALUES (2, '/x', 200, 0, 5, 'u', 'not json')").run(), /CHECK/)
  const attempts = [
    { target: '@a/gpt-4o', jsonPath: 'config.targets[0]', status: 503, retries: 2, error: 'config.targets[0] answered HTTP 503' },
    { target: '@b/gpt-4o', jsonPath: 'config.targets[1]', status: null, retries: 0, skipped: 'circuit_open' as const },
    { target: '@c/gpt-4o', jsonPath: 'config.targets[2]', status: 200, retries: 0 },
  ]
  migrate(db) // the writer keeps later migrations' tables current too (012's metadata index)
  const writer = createUsageWriter(db, { mode: 'commit' })
  const row = { createdAt: 3, workspaceId: null, apiKeyId: null, providerSlug: 'c', model: 'gpt-4o', endpoint: '/v1/chat/completions', status: 200, stream: false, latencyMs: 5, ttfbMs: 1, inputTokens: 1, outputTokens: 1, cachedTokens: null, costMicros: 0, metadata: null, traceId: 'v', error: null }
  writer.enqueue({ ...row, attempts })
  writer.enqueue({ ...row, traceId: 'w' })
  writer.flush()
  const repo = usageRepo(db)
  const stored = repo.query({ limit: 10 })
  assert.deepEqual(stored.find((r) => r.traceId === 'v')?.attempts, attempts)
  assert.equal(stored.find((r) => r.traceId === 'w')?.attempts, null)
  assert.equal(stored.find((r) => r.traceId === 't')?.attempts, null)
})

test('011 usage bodies: captured bodies by trace and time, flags only 0/1, earlier data untouched', () => {
  const db = openDb(':memory:')
  migrate(db, 9)
  db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id) VALUES (1, '/v1/chat/completions', 200, 0, 5, 't')").run()
  migrate(db, 11)
  assert.equal(schemaVersion(db), 11)
  assert.equal((db.prepare('SELECT count(*) AS n FROM usage').get() as { n: number }).n, 1)
  db.prepare("INSERT INTO usage_bodies (trace_id, created_at, request, response, response_truncated, bytes) VALUES ('t', 1, '{}', '{\"ok\":1}', 1, 10)").run()
  const row = db.prepare('SELECT request_truncated, response_truncated FROM usage_bodies').get() as { request_truncated: number; response_truncated: number }
  assert.deepEqual({ ...row }, { request_truncated: 0, response_truncated: 1 })
  assert.throws(() => db.prepare("INSERT INTO usage_bodies (trace_id, created_at, request_truncated, bytes) VALUES ('u', 2, 2, 0)").run(), /CHECK/)
  const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM usage_bodies WHERE trace_id = 't' AND created_at = 1").all() as Array<{ detail: string }>
  assert.match(plan.map((p) => p.detail).join(' '), /usage_bodies_by_trace/)
})

test('012 usage meta: existing metadata indexed (strings only, bounded) and rolled up, the per-row rollup trigger dropped', () => {
  const db = openDb(':memory:')
  migrate(db, 11)
  const insert = db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id, metadata) VALUES (?, '/v1/chat/completions', 200, 0, 5, 't', ?)")
  const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(i).padStart(2, '0')}`, `v${i}`]))
  insert.run(1, JSON.stringify({ project: 'sy', n: 5, long: 'x'.repeat(201), ok: 'y'.repeat(200), nested: { a: 'b' } }))
  insert.run(2, JSON.stringify(many))
  insert.run(3, 'not json')
  insert.run(4, '["a","b"]')
  insert.run(5, null)
  const rollupBefore = db.prepare('SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7').all()
  migrate(db, 12)
  assert.equal(schemaVersion(db), 12)
  const meta = db.prepare('SELECT usage_id, key, value, created_at FROM usage_meta ORDER BY usage_id, key').all() as Array<{ usage_id: number; key: string; value: string; created_at: number }>
  assert.deepEqual(meta.filter((m) => m.usage_id === 1).map((m) => [m.key, m.value.length, m.created_at]), [['ok', 200, 1], ['project', 2, 1]], 'only strings up to 200 characters')
  assert.deepEqual(meta.filter((m) => m.usage_id === 2).map((m) => m.key), Object.keys(many).slice(0, 16), 'at most 16 keys a row, the first ones')
  assert.equal(meta.filter((m) => m.usage_id > 2).length, 0, 'no pairs from invalid JSON, arrays or null')
  // Its hourly rollup is backfilled from the same pairs.
  const metaRollup = db.prepare("SELECT key, value, hour, requests, latency_sum FROM usage_meta_rollup WHERE key IN ('project', 'k00') ORDER BY key").all()
  assert.deepEqual(metaRollup.map((r) => ({ ...(r as object) })), [{ key: 'k00', value: 'v0', hour: 0, requests: 1, latency_sum: 5 }, { key: 'project', value: 'sy', hour: 0, requests: 1, latency_sum: 5 }])
  assert.equal((db.prepare('SELECT count(*) AS n FROM usage_meta_rollup').get() as { n: number }).n, 18)
  // The trigger is gone: a row inserted outside the usage writer no longer touches the rollup.
  assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name = 'usage_rollup_on_insert'").get() as { n: number }).n, 0)
  insert.run(6, null)
  assert.deepEqual(db.prepare('SELECT * FROM usage_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7').all(), rollupBefore)
  const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join(' | ')
  assert.match(plan("SELECT usage_id FROM usage_meta WHERE key = 'project' AND value = 'sy' AND created_at >= 0 AND created_at < 9"), /COVERING INDEX usage_meta_by_value \(key=\? AND value=\? AND created_at>\? AND created_at<\?\)/)
  assert.match(plan("SELECT value FROM usage_meta WHERE usage_id = 1 AND key = 'project'"), /USING PRIMARY KEY \(usage_id=\? AND key=\?\)/)
  assert.match(plan('DELETE FROM usage_meta WHERE usage_id IN (SELECT id FROM usage WHERE created_at < 3)'), /SEARCH usage_meta USING PRIMARY KEY \(usage_id=\?\)/)
})
