/** Migration 9 (budget grants): a top-up is a row of its own, positive, and expires after it was granted. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { migrate, schemaVersion } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'

test('009 budget_grants: one row per top-up; non-positive amounts and backwards expiries are refused', () => {
  const db = openDb(':memory:')
  migrate(db, 6)
  assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'budget_grants'").get() as { n: number }).n, 0)
  migrate(db, 9)
  assert.equal(schemaVersion(db), 9)
  const put = db.prepare("INSERT INTO budget_grants (id, scope_kind, scope_id, unit, amount_micros, granted_at, expires_at, note) VALUES (?, 'workspace', 'w', 'usd', ?, ?, ?, NULL)")
  put.run('g1', 5_000_000, 1000, 2000)
  put.run('g2', 5_000_000, 1500, 2000)
  assert.equal((db.prepare('SELECT count(*) AS n FROM budget_grants').get() as { n: number }).n, 2, 'two top-ups are two rows')
  assert.throws(() => put.run('g3', 0, 1000, 2000), /CHECK/)
  assert.throws(() => put.run('g4', 1, 2000, 2000), /CHECK/)
  assert.throws(() => db.prepare("INSERT INTO budget_grants (id, scope_kind, scope_id, unit, amount_micros, granted_at, expires_at) VALUES ('g5', 'workspace', 'w', 'tokens', 1, 1, 2)").run(), /CHECK/)
  const idx = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'budget_grants' AND name NOT LIKE 'sqlite_%'").all()
  assert.deepEqual(idx, [{ name: 'budget_grants_by_expiry' }])
})
