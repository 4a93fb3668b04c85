/**
 * Budget top-ups ("+$5 today"): the grant expires at the next local midnight in the budget's zone,
 * and the governor admits calls against it only while it is live, only on USD budgets of its scope.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createGovernor, type AdmitCall, type BudgetGrantRef, type GovernorConfig, type UsageHistory } from '../../main/limits/createGovernor.ts'
import { nextLocalMidnight, topUpGrant } from '../../main/limits/topUpGrant.ts'

const iso = (s: string) => Date.parse(s)

test('next local midnight, table', () => {
  const rows: Array<[string, string, string]> = [
    ['2026-12-07T10:00:00Z', 'UTC', '2026-12-08T00:00:00Z'],
    ['2026-12-07T23:59:59Z', 'UTC', '2026-12-08T00:00:00Z'],
    ['2026-12-07T00:00:00Z', 'UTC', '2026-12-08T00:00:00Z'],
    // 20:00 in New York on the 7th is 01:00Z on the 8th: midnight is New York's, 05:00Z.
    ['2026-12-08T01:00:00Z', 'America/New_York', '2026-12-08T05:00:00Z'],
    ['2026-12-07T22:30:00Z', 'Europe/Berlin', '2026-12-07T23:00:00Z'], // 23:30 local,
    ['2026-12-07T10:00:00Z', 'Asia/Kolkata', '2026-12-07T18:30:00Z'],
    // The day before a spring-forward (Berlin, 29 March 2026): a 23-hour day follows, midnight still exact.
    ['2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-28T23:00:00Z'],
    ['2026-03-29T12:00:00Z', 'Europe/Berlin', '2026-03-29T22:00:00Z'],
  ]
  for (const [at, zone, want] of rows) assert.equal(new Date(nextLocalMidnight(iso(at), zone)).toISOString(), new Date(iso(want)).toISOString(), `${at} in ${zone}`)
})

test('a top-up is a USD grant from now to the next midnight; non-positive amounts are refused', () => {
  const g = topUpGrant({ id: 'g1', scope: 'workspace', scopeId: 'ws', amountMicros: 5_000_000, at: iso('2026-12-07T10:00:00Z'), timeZone: 'UTC' })
  assert.deepEqual(g, { id: 'g1', scope: 'workspace', scopeId: 'ws', unit: 'usd', amountMicros: 5_000_000, grantedAt: iso('2026-12-07T10:00:00Z'), expiresAt: iso('2026-12-08T00:00:00Z'), note: null })
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => topUpGrant({ id: 'x', scope: 'workspace', scopeId: 'ws', amountMicros: bad, at: 0, timeZone: 'UTC' }), RangeError)
})

const T = iso('2026-12-07T10:00:00Z')
const history: UsageHistory = { totals: () => ({ costMicros: 10_000_000, tokens: 0 }), calls: () => [], alerts: () => ['50@10000000', '80@10000000', '100@10000000'] }
const call = (at: number, costMicros = 1_000_000): AdmitCall => ({ integrationId: 'i', providerId: 'p', workspaceId: 'ws', keyId: 'k', costMicros, tokens: 10, rateTokens: 10, at })
const cfg = (grants: BudgetGrantRef[], unit: 'usd' | 'tokens' = 'usd'): GovernorConfig => ({
  timeZone: 'UTC',
  policies: [{ scope: { kind: 'workspace', id: 'ws', label: "workspace 'ws'" }, setAt: T - 86_400_000, policy: { budgets: [unit === 'usd' ? { unit, limitMicros: 10_000_000, period: { kind: 'monthly' } } : { unit, limitTokens: 100, period: { kind: 'monthly' } }] } }],
  grants,
})
const grant = (over: Partial<BudgetGrantRef> = {}): BudgetGrantRef => ({ scope: { kind: 'workspace', id: 'ws' }, amountMicros: 5_000_000, grantedAt: T, expiresAt: iso('2026-12-08T00:00:00Z'), ...over })

test('the governor with grants, table: which calls an exhausted $10 budget admits', () => {
  const rows: Array<{ name: string; grants: BudgetGrantRef[]; at: number; cost?: number; admitted: boolean; limit?: number }> = [
    { name: 'no grant: exhausted', grants: [], at: T, admitted: false, limit: 10_000_000 },
    { name: '+$5 today: admitted', grants: [grant()], at: T + 1000, admitted: true, limit: 15_000_000 },
    { name: '+$5, a $6 call: refused', grants: [grant()], at: T + 1000, cost: 6_000_000, admitted: false },
    { name: 'two top-ups add up', grants: [grant(), grant()], at: T + 1000, cost: 6_000_000, admitted: true, limit: 20_000_000 },
    { name: 'after midnight the grant is gone', grants: [grant()], at: iso('2026-12-08T00:00:00Z'), admitted: false, limit: 10_000_000 },
    { name: 'before it was granted it does not count', grants: [grant()], at: T - 1, admitted: false },
    { name: "another scope's grant does not count", grants: [grant({ scope: { kind: 'workspace', id: 'other' } })], at: T + 1000, admitted: false },
    { name: 'another kind with the same id does not count', grants: [grant({ scope: { kind: 'apiKey', id: 'ws' } })], at: T + 1000, admitted: false },
  ]
  for (const r of rows) {
    const g = createGovernor()
    g.reload(cfg(r.grants), history, T)
    assert.equal(g.admit(call(r.at, r.cost)).ok, r.admitted, r.name)
    if (r.limit !== undefined) assert.equal(g.status(r.at)[0]?.limit, r.limit, `${r.name}: status shows the limit with grants`)
  }
})

test('a grant never loosens a token budget', () => {
  const g = createGovernor()
  g.reload(cfg([grant()], 'tokens'), { ...history, totals: () => ({ costMicros: 0, tokens: 100 }) }, T)
  assert.equal(g.admit(call(T + 1000)).ok, false)
})
