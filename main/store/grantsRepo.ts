/** Rows of `budget_grants` (migration 9): top-ups, each its own row, read back for reports and by the governor. */
import type { BudgetGrant, LimitScopeKind } from '../../preload/contract.ts'
import type { Db } from './openDb.ts'

type Row = { id: string; scope_kind: string; scope_id: string; unit: string; amount_micros: number; granted_at: number; expires_at: number; note: string | null }

const toGrant = (r: Row): BudgetGrant => ({
  id: r.id,
  scope: r.scope_kind as LimitScopeKind,
  scopeId: r.scope_id,
  unit: 'usd',
  amountMicros: r.amount_micros,
  grantedAt: r.granted_at,
  expiresAt: r.expires_at,
  note: r.note,
})

export function grantsRepo(db: Db) {
  const put = db.prepare('INSERT INTO budget_grants (id, scope_kind, scope_id, unit, amount_micros, granted_at, expires_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const since = db.prepare<[number], Row>('SELECT * FROM budget_grants WHERE granted_at >= ? ORDER BY granted_at, id')
  const live = db.prepare<[number], Row>('SELECT * FROM budget_grants WHERE expires_at > ? ORDER BY granted_at, id')
  return {
    add(g: BudgetGrant): void {
      put.run(g.id, g.scope, g.scopeId, g.unit, g.amountMicros, g.grantedAt, g.expiresAt, g.note)
    },
    list(q: { since?: number; scope?: LimitScopeKind; id?: string } = {}): BudgetGrant[] {
      return since.all(q.since ?? 0).map(toGrant).filter((g) => (!q.scope || g.scope === q.scope) && (!q.id || g.scopeId === q.id))
    },
    /** Grants that have not expired at `at` (some may start later, with a clock set back). */
    unexpired: (at: number): BudgetGrant[] => live.all(at).map(toGrant),
  }
}
