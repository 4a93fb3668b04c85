/**
 * The governor with a fake clock and a fake usage history: reservations and settlement, the race at
 * the edge of a budget, resets, cascade precedence, rate and concurrency limits, alerts, rebuilds.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BudgetAlert, LimitPolicy, LimitScopeKind } from '../../preload/contract.ts'
import { createGovernor, type AdmitCall, type Governor, type GovernorConfig, type ScopeRef, type UsageHistory } from '../../main/limits/createGovernor.ts'

const T0 = Date.parse('2026-11-23T10:00:00.000Z')
const emptyHistory: UsageHistory = { totals: () => ({ costMicros: 0, tokens: 0 }), calls: () => [], alerts: () => [] }

const scope = (kind: LimitScopeKind, id: string): ScopeRef => ({ kind, id, label: `${kind} '${id}'` })
const config = (...policies: Array<[ScopeRef, LimitPolicy]>): GovernorConfig => ({ timeZone: 'UTC', policies: policies.map(([s, policy]) => ({ scope: s, policy, setAt: T0 - 86_400_000 })) })
const usd = (limitMicros: number, period: LimitPolicy['budgets'] extends Array<infer B> | undefined ? (B extends { period: infer P } ? P : never) : never = { kind: 'monthly' }) => ({ budgets: [{ unit: 'usd' as const, limitMicros, period }] })

const call = (over: Partial<AdmitCall> = {}): AdmitCall => ({
  integrationId: 'int_a', providerId: 'prv_a', workspaceId: 'ws_a', keyId: 'key_a', costMicros: 100, tokens: 50, rateTokens: 20, at: T0, ...over,
})

function governor(cfg: GovernorConfig, history = emptyHistory, at = T0): Governor {
  const g = createGovernor()
  g.reload(cfg, history, at)
  return g
}

test('no limits configured: every call is admitted with a no-op lease', () => {
  const g = governor(config())
  assert.equal(g.active(), false)
  const a = g.admit(call())
  assert.ok(a.ok)
})

test('a budget reserves the estimate, settles the actual, and refuses once exhausted, naming the reset', () => {
  const g = governor(config([scope('workspace', 'ws_a'), usd(1000)]))
  const a = g.admit(call({ costMicros: 600 }))
  assert.ok(a.ok)
  assert.equal(g.status(T0)[0]?.reserved, 600)
  assert.ok(!g.admit(call({ costMicros: 500 })).ok, '600 reserved + 500 > 1000')
  a.lease.settle({ costMicros: 400, tokens: 10 }, T0)
  a.lease.settle({ costMicros: 400, tokens: 10 }, T0) // exactly once
  const s = g.status(T0)[0]
  assert.equal(s?.used, 400)
  assert.equal(s?.reserved, 0)
  const b = g.admit(call({ costMicros: 600 }))
  assert.ok(b.ok)
  b.lease.settle({ costMicros: 700, tokens: 10 }, T0) // actual above the estimate is still booked
  const refused = g.admit(call({ costMicros: 1 }))
  assert.ok(!refused.ok)
  assert.equal(refused.denial.kind, 'budget')
  assert.equal(refused.denial.used, 1100)
  assert.equal(refused.denial.resetAt, Date.parse('2026-12-01T00:00:00Z'))
})

test('a hundred calls racing for the last of a budget never reserve past it', () => {
  const g = governor(config([scope('apiKey', 'key_a'), usd(10_000)]))
  const leases = []
  for (let i = 0; i < 100; i++) {
    const a = g.admit(call({ costMicros: 300 }))
    if (a.ok) leases.push(a.lease)
    const s = g.status(T0)[0]
    assert.ok((s?.used ?? 0) + (s?.reserved ?? 0) <= 10_000)
  }
  assert.equal(leases.length, 33)
  for (const l of leases) l.settle({ costMicros: 250, tokens: 1 }, T0)
  assert.equal(g.status(T0)[0]?.used, 33 * 250)
})

test('a monthly budget resets at local midnight on the 1st, in the budget zone, across DST', () => {
  const cfg: GovernorConfig = { timeZone: 'America/New_York', policies: [{ scope: scope('workspace', 'ws_a'), policy: usd(1000), setAt: T0 }] }
  const oct = Date.parse('2026-10-31T20:00:00Z')
  const g = governor(cfg, emptyHistory, oct)
  const a = g.admit(call({ at: oct, costMicros: 1000 }))
  assert.ok(a.ok)
  a.lease.settle({ costMicros: 1000, tokens: 1 }, oct)
  const beforeMidnight = Date.parse('2026-11-01T03:59:59Z') // 23:59:59 EDT
  const r = g.admit(call({ at: beforeMidnight }))
  assert.ok(!r.ok)
  assert.equal(r.denial.resetAt, Date.parse('2026-11-01T04:00:00Z'))
  assert.ok(g.admit(call({ at: Date.parse('2026-11-01T04:00:00Z') })).ok, 'new month at 00:00 EDT')
  assert.equal(g.status(Date.parse('2026-11-01T04:00:01Z'))[0]?.resetAt, Date.parse('2026-12-01T05:00:00Z'), 'December starts at 00:00 EST')
})

test('a call still running when its period ends is not charged to the new period', () => {
  const g = governor(config([scope('workspace', 'ws_a'), usd(1000, { kind: 'days', days: 1 })]))
  const a = g.admit(call({ costMicros: 900 }))
  assert.ok(a.ok)
  const tomorrow = Date.parse('2026-11-24T00:00:01Z')
  a.lease.settle({ costMicros: 900, tokens: 1 }, tomorrow)
  const s = g.status(tomorrow)[0]
  assert.equal(s?.used, 0)
  assert.equal(s?.reserved, 0)
})

test('cascade: every limit that applies must allow; integration → provisioning → provider → workspace → key', () => {
  const exhausted = usd(0)
  const all: Array<[ScopeRef, LimitPolicy]> = [
    [scope('integration', 'int_a'), exhausted],
    [scope('provisioning', 'int_a/ws_a'), exhausted],
    [scope('provider', 'prv_a'), exhausted],
    [scope('workspace', 'ws_a'), exhausted],
    [scope('apiKey', 'key_a'), exhausted],
  ]
  for (let i = 0; i < all.length; i++) {
    const g = governor(config(...all.slice(i)))
    const r = g.admit(call())
    assert.ok(!r.ok)
    assert.equal(r.denial.scope.kind, all[i]?.[0].kind, `with ${all.slice(i).map(([s]) => s.kind).join(', ')}`)
    assert.equal(r.others.length, all.length - i - 1)
  }
  // The tightest wins wherever it sits: a generous integration, a strict key.
  const g = governor(config([scope('integration', 'int_a'), usd(1_000_000)], [scope('apiKey', 'key_a'), usd(150)]))
  assert.ok(g.admit(call({ costMicros: 100 })).ok)
  const r = g.admit(call({ costMicros: 100 }))
  assert.ok(!r.ok)
  assert.equal(r.denial.scope.kind, 'apiKey')
  // Limits of other scopes do not apply.
  const other = governor(config([scope('workspace', 'ws_other'), usd(0)], [scope('provisioning', 'int_a/ws_other'), usd(0)]))
  assert.ok(other.admit(call()).ok)
})

test('a budget refusal wins over a rate refusal; among rate refusals, the longest wait', () => {
  const g = governor(config(
    [scope('provider', 'prv_a'), { rateLimits: [{ unit: 'requests', limit: 1, per: 'minute' }] }],
    [scope('workspace', 'ws_a'), { rateLimits: [{ unit: 'requests', limit: 1, per: 'hour' }] }],
    [scope('apiKey', 'key_a'), usd(150)],
  ))
  assert.ok(g.admit(call()).ok)
  const r = g.admit(call())
  assert.ok(!r.ok)
  assert.equal(r.denial.kind, 'budget')
  const h = governor(config(
    [scope('provider', 'prv_a'), { rateLimits: [{ unit: 'requests', limit: 1, per: 'minute' }] }],
    [scope('workspace', 'ws_a'), { rateLimits: [{ unit: 'requests', limit: 1, per: 'hour' }] }],
  ))
  assert.ok(h.admit(call()).ok)
  const q = h.admit(call({ at: T0 + 1000 }))
  assert.ok(!q.ok)
  assert.equal(q.denial.period, 'hour')
  assert.equal(q.denial.retryAfterMs, 3_600_000 + 60_000 - 1000)
})

test('requests and tokens per window, with the wait until the call fits', () => {
  const g = governor(config([scope('apiKey', 'key_a'), { rateLimits: [{ unit: 'requests', limit: 2, per: 'minute' }, { unit: 'tokens', limit: 100, per: 'minute' }] }]))
  const first = g.admit(call({ rateTokens: 40 }))
  assert.ok(first.ok)
  assert.ok(g.admit(call({ at: T0 + 5000, rateTokens: 40 })).ok)
  const third = g.admit(call({ at: T0 + 10_000, rateTokens: 1 }))
  assert.ok(!third.ok)
  assert.equal(third.denial.unit, 'requests')
  assert.equal(third.denial.retryAfterMs, 51_000)
  // Tokens: the estimate is replaced by the actual at settlement.
  first.lease.settle({ costMicros: 0, tokens: 5 }, T0 + 1)
  const later = T0 + 62_000 // the first request's bucket has left; the second's has not
  const big = g.admit(call({ at: later, rateTokens: 70 }))
  assert.ok(!big.ok, '40 + 70 > 100')
  assert.equal(big.denial.unit, 'tokens')
  const huge = g.admit(call({ at: later, rateTokens: 500 }))
  assert.ok(!huge.ok)
  assert.equal(huge.denial.retryAfterMs, null, 'a call larger than the limit never fits')
})

test('concurrency: at most N in flight; a settled call frees its slot', () => {
  const g = governor(config([scope('workspace', 'ws_a'), { maxConcurrent: 2 }]))
  const a = g.admit(call())
  const b = g.admit(call())
  assert.ok(a.ok && b.ok)
  const c = g.admit(call())
  assert.ok(!c.ok)
  assert.equal(c.denial.kind, 'concurrency')
  a.lease.settle({ costMicros: 0, tokens: 0 }, T0)
  assert.ok(g.admit(call()).ok)
})

test('alerts at 50, 80 and 100 %, once each per period, not again after a restart, again next period', () => {
  const cfg = config([scope('workspace', 'ws_a'), { budgets: [{ unit: 'tokens', limitTokens: 1000, period: { kind: 'monthly' } }] }])
  const g = governor(cfg)
  const alerts: Array<BudgetAlert & { counterKey: string }> = []
  g.onAlert((a) => alerts.push(a))
  const spend = (gov: Governor, tokens: number, at = T0) => {
    const a = gov.admit(call({ tokens: 1, at }))
    assert.ok(a.ok)
    a.lease.settle({ costMicros: 0, tokens }, at)
  }
  spend(g, 400)
  assert.deepEqual(alerts.map((a) => a.threshold), [])
  spend(g, 450) // 850: crosses 50 and 80 in one call
  assert.deepEqual(alerts.map((a) => a.threshold), [50, 80])
  spend(g, 100)
  assert.deepEqual(alerts.map((a) => a.threshold), [50, 80])
  spend(g, 50) // 1000
  assert.deepEqual(alerts.map((a) => a.threshold), [50, 80, 100])
  assert.equal(alerts[2]?.spent, 1000)
  assert.equal(alerts[2]?.resetAt, Date.parse('2026-12-01T00:00:00Z'))
  // Restart: the store remembers spend and raised alerts.
  const raised = alerts.map((a) => `${a.threshold}@${a.limit}`)
  const restarted = governor(cfg, { totals: () => ({ costMicros: 0, tokens: 1000 }), calls: () => [], alerts: () => raised })
  const again: BudgetAlert[] = []
  restarted.onAlert((a) => again.push(a))
  assert.equal(restarted.status(T0)[0]?.used, 1000)
  assert.ok(!restarted.admit(call({ tokens: 1 })).ok)
  // Next month: spend starts from zero and alerts fire again.
  spend(restarted, 600, Date.parse('2026-12-02T00:00:00Z'))
  assert.deepEqual(again.map((a) => a.threshold), [50])
})

test('raising an exhausted budget re-enables at once, keeping what was spent; lowering it refuses', () => {
  const g = governor(config([scope('workspace', 'ws_a'), usd(100)]))
  const a = g.admit(call({ costMicros: 100 }))
  assert.ok(a.ok)
  a.lease.settle({ costMicros: 100, tokens: 1 }, T0)
  assert.ok(!g.admit(call({ costMicros: 1 })).ok)
  let rebuilt = 0
  const counting: UsageHistory = { ...emptyHistory, totals: () => (rebuilt++, { costMicros: 0, tokens: 0 }) }
  g.reload(config([scope('workspace', 'ws_a'), usd(1000)]), counting, T0)
  assert.equal(rebuilt, 0, 'same unit and period: the live counter is kept')
  assert.equal(g.status(T0)[0]?.used, 100)
  assert.ok(g.admit(call({ costMicros: 1 })).ok)
  g.reload(config([scope('workspace', 'ws_a'), usd(1000, { kind: 'weekly' })]), counting, T0)
  assert.equal(rebuilt, 1, 'a new period is rebuilt from the history')
})

test('counters are rebuilt from history: budget totals since the period start, rate windows from recent calls', () => {
  const seen: Array<[string, number]> = []
  const history: UsageHistory = {
    totals: (s, since) => (seen.push([s.kind, since]), { costMicros: 700, tokens: 0 }),
    calls: () => [{ at: T0 - 30_000, tokens: 10 }, { at: T0 - 10_000, tokens: 10 }],
    alerts: () => [],
  }
  const g = governor(config([scope('apiKey', 'key_a'), { ...usd(1000), rateLimits: [{ unit: 'requests', limit: 3, per: 'minute' }] }]), history)
  assert.deepEqual(seen, [['apiKey', Date.parse('2026-11-01T00:00:00Z')]])
  const s = g.status(T0)
  assert.equal(s[0]?.used, 700)
  assert.equal(s[1]?.used, 2)
  assert.ok(g.admit(call({ costMicros: 300 })).ok)
  const r = g.admit(call({ costMicros: 0 }))
  assert.ok(!r.ok)
  assert.equal(r.denial.kind, 'rate')
})

test('a USD budget cannot cap a model without a price: refused as price_unknown; token budgets still work', () => {
  const g = governor(config([scope('workspace', 'ws_a'), usd(1000)]))
  const r = g.admit(call({ costMicros: null }))
  assert.ok(!r.ok)
  assert.equal(r.denial.kind, 'price_unknown')
  const t = governor(config([scope('workspace', 'ws_a'), { budgets: [{ unit: 'tokens', limitTokens: 100, period: { kind: 'none' } }] }]))
  assert.ok(t.admit(call({ costMicros: null, tokens: 100 })).ok)
  assert.ok(!t.admit(call({ costMicros: null, tokens: 1 })).ok)
})
