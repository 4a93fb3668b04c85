/** One test per migration (Signal's habit): migrate to N-1, insert, migrate to N, assert. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { latestVersion, migrate, migrations, schemaVersion } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'

test('migrations are numbered 1..N without gaps', () => {
  assert.deepEqual(migrations.map((m) => m.version), Array.from({ length: latestVersion }, (_, i) => i + 1))
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
