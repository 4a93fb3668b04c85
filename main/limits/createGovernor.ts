/**
 * The live state of every budget, rate limit and concurrency limit, and the one place that admits a
 * call against them. Admission is synchronous (check every limit that applies, then reserve the
 * call's estimate on all of them), so calls racing for the last dollar of a budget are ordered by
 * the event loop and the sum of reservations never passes a limit. The returned lease gives the
 * reservation back and books the actual usage, exactly once.
 *
 * Memory only: counters are rebuilt from a `UsageHistory` (the usage table) when they are first
 * needed, at start and when a limit changes, never on the request path. No I/O, no clock of its own:
 * every instant is an argument.
 */
import type { BudgetAlert, LimitCounter, LimitPolicy, LimitScopeKind } from '../../preload/contract.ts'
import { describePeriod, periodWindow, type BudgetPeriod } from './budgetPeriod.ts'
import type { LimitDenial } from './LimitDenial.ts'
import { createSlidingWindow, retryAfterMs, windowAdd, windowAdjust, windowSum, type SlidingWindow } from './slidingWindow.ts'

export type ScopeRef = { kind: LimitScopeKind; id: string; label: string }

export type GovernorConfig = {
  /** Default zone for budget resets. */
  timeZone: string
  /** Every scope's limits. Provisioning ids are `<integrationId>/<workspaceId>`. */
  policies: ReadonlyArray<{ scope: ScopeRef; policy: LimitPolicy; setAt: number }>
  /** Top-ups ("+$5 today"): extra room on a scope's USD budgets while `grantedAt <= at < expiresAt`. */
  grants?: ReadonlyArray<BudgetGrantRef>
}

export type BudgetGrantRef = { scope: { kind: LimitScopeKind; id: string }; amountMicros: number; grantedAt: number; expiresAt: number }

/** Where counters are rebuilt from: usage of calls that were admitted (they held a lease). */
export type UsageHistory = {
  totals(scope: { kind: LimitScopeKind; id: string }, since: number, until: number): { costMicros: number; tokens: number }
  calls(scope: { kind: LimitScopeKind; id: string }, since: number): ReadonlyArray<{ at: number; tokens: number }>
  /** Alerts already raised for this counter in this period, as `<threshold>@<limit>`. */
  alerts(counterKey: string, periodStart: number): readonly string[]
}

export type AdmitCall = {
  integrationId: string | null
  providerId: string | null
  workspaceId: string
  keyId: string
  /** Upper bound of the call's cost; null when the model has no known price. */
  costMicros: number | null
  /** Upper bound of the call's tokens (input + output), for token budgets. */
  tokens: number
  /** The call's likely tokens, for tokens-per-window rate limits (OpenAI's own estimate). */
  rateTokens: number
  at: number
}

export type Actual = { costMicros: number | null; tokens: number }

export type Lease = { settle(actual: Actual, at: number): void }

export type Admission = { ok: true; lease: Lease } | { ok: false; denial: LimitDenial; others: LimitDenial[] }

export type Governor = {
  reload(config: GovernorConfig, history: UsageHistory, at: number): void
  admit(call: AdmitCall): Admission
  status(at: number, filter?: { kind?: LimitScopeKind; id?: string }): LimitCounter[]
  onAlert(fn: (a: BudgetAlert & { counterKey: string }) => void): void
  /** True when at least one limit is configured. */
  active(): boolean
}

export const defaultAlertThresholds: readonly number[] = [50, 80, 100]

type BudgetCounter = {
  key: string
  unit: 'usd' | 'tokens'
  period: BudgetPeriod
  timeZone: string
  startsAt: number
  periodStart: number
  resetAt: number
  spent: number
  reserved: number
  epoch: number
  alerted: Set<string>
}
type RateCounter = { key: string; unit: 'requests' | 'tokens'; per: 'minute' | 'hour' | 'day'; window: SlidingWindow }
type FlightCounter = { key: string; inFlight: number }

type CBudget = { c: BudgetCounter; limit: number; thresholds: readonly number[]; scope: ScopeRef }
type CRate = { c: RateCounter; limit: number }
type CPolicy = { scope: ScopeRef; budgets: CBudget[]; rates: CRate[]; flight: { c: FlightCounter; max: number } | null; grants: BudgetGrantRef[] }

/** A budget's limit at `at`: its own plus the scope's USD grants active then. */
function limitAt(p: CPolicy, b: CBudget, at: number): number {
  if (b.c.unit !== 'usd') return b.limit
  let extra = 0
  for (const g of p.grants) if (g.grantedAt <= at && at < g.expiresAt) extra += g.amountMicros
  return b.limit + extra
}

type Compiled = {
  byIntegration: Map<string, CPolicy>
  byProvisioning: Map<string, Map<string, CPolicy>>
  byProvider: Map<string, CPolicy>
  byWorkspace: Map<string, CPolicy>
  byKey: Map<string, CPolicy>
  all: CPolicy[]
}

const windowMs = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const

const noopLease: Lease = { settle() {} }

const emptyCompiled = (): Compiled => ({
  byIntegration: new Map(),
  byProvisioning: new Map(),
  byProvider: new Map(),
  byWorkspace: new Map(),
  byKey: new Map(),
  all: [],
})

export function createGovernor(): Governor {
  let compiled = emptyCompiled()
  let counters = new Map<string, BudgetCounter | RateCounter | FlightCounter>()
  const listeners: Array<(a: BudgetAlert & { counterKey: string }) => void> = []

  function roll(c: BudgetCounter, at: number): void {
    if (at < c.resetAt && at >= c.periodStart) return
    const w = periodWindow(c.period, at, c.timeZone, c.startsAt)
    if (w.start !== c.periodStart) {
      c.spent = 0
      c.alerted.clear()
      c.epoch++
    }
    c.periodStart = w.start
    c.resetAt = w.end
  }

  function alert(b: CBudget, before: number, at: number): void {
    const c = b.c
    for (const t of b.thresholds) {
      const line = (b.limit * t) / 100
      if (c.spent < line || before >= line) continue
      const id = `${t}@${b.limit}`
      if (c.alerted.has(id)) continue
      c.alerted.add(id)
      const a = {
        counterKey: c.key,
        scope: b.scope.kind,
        id: b.scope.id,
        label: b.scope.label,
        unit: c.unit,
        threshold: t,
        limit: b.limit,
        spent: c.spent,
        periodStart: c.periodStart,
        resetAt: Number.isFinite(c.resetAt) ? c.resetAt : null,
        at,
      }
      for (const fn of listeners) fn(a)
    }
  }

  type Held = { b: CBudget; need: number; epoch: number }
  type HeldRate = { r: CRate; bucket: number; need: number }

  function lease(budgets: Held[], rates: HeldRate[], flights: FlightCounter[]): Lease {
    let done = false
    return {
      settle(actual, at) {
        if (done) return
        done = true
        for (const h of budgets) {
          const c = h.b.c
          c.reserved = Math.max(0, c.reserved - h.need)
          if (c.epoch !== h.epoch) continue // the period ended while the call ran: it belongs to the old one
          const amount = c.unit === 'usd' ? (actual.costMicros ?? 0) : actual.tokens
          if (amount <= 0) continue
          const before = c.spent
          c.spent += amount
          alert(h.b, before, at)
        }
        for (const h of rates) windowAdjust(h.r.c.window, h.bucket, actual.tokens - h.need)
        for (const f of flights) f.inFlight = Math.max(0, f.inFlight - 1)
      },
    }
  }

  /** Adds this policy's refusals to `out` (allocating only when something refuses). */
  function check(p: CPolicy, call: AdmitCall, out: LimitDenial[] | null): LimitDenial[] | null {
    for (const b of p.budgets) {
      const c = b.c
      if (call.at >= c.resetAt || call.at < c.periodStart) roll(c, call.at)
      const need = c.unit === 'usd' ? call.costMicros : call.tokens
      const limit = limitAt(p, b, call.at)
      if (need !== null && c.spent < limit && c.spent + c.reserved + need <= limit) continue
      ;(out ??= []).push({
        kind: need === null ? 'price_unknown' : 'budget', scope: p.scope, unit: c.unit, limit, used: c.spent, reserved: c.reserved,
        requested: need ?? 0, period: describePeriod(c.period), resetAt: Number.isFinite(c.resetAt) ? c.resetAt : null, retryAfterMs: null,
      })
    }
    for (const r of p.rates) {
      const need = r.c.unit === 'requests' ? 1 : call.rateTokens
      const used = windowSum(r.c.window, call.at)
      if (used + need <= r.limit) continue
      const wait = retryAfterMs(r.c.window, call.at, need, r.limit)
      const finite = Number.isFinite(wait)
      ;(out ??= []).push({
        kind: 'rate', scope: p.scope, unit: r.c.unit, limit: r.limit, used, reserved: 0, requested: need, period: r.c.per,
        resetAt: finite ? call.at + wait : null, retryAfterMs: finite ? wait : null,
      })
    }
    if (p.flight && p.flight.c.inFlight >= p.flight.max) {
      ;(out ??= []).push({ kind: 'concurrency', scope: p.scope, unit: 'calls', limit: p.flight.max, used: p.flight.c.inFlight, reserved: 0, requested: 1, period: 'now', resetAt: null, retryAfterMs: 1000 })
    }
    return out
  }

  function admit(call: AdmitCall): Admission {
    const cp = compiled
    if (cp.all.length === 0) return { ok: true, lease: noopLease }
    const ps: CPolicy[] = []
    const i = call.integrationId === null ? undefined : cp.byIntegration.get(call.integrationId)
    if (i) ps.push(i)
    const pv = call.integrationId === null ? undefined : cp.byProvisioning.get(call.integrationId)?.get(call.workspaceId)
    if (pv) ps.push(pv)
    const pr = call.providerId === null ? undefined : cp.byProvider.get(call.providerId)
    if (pr) ps.push(pr)
    const ws = cp.byWorkspace.get(call.workspaceId)
    if (ws) ps.push(ws)
    const k = cp.byKey.get(call.keyId)
    if (k) ps.push(k)
    if (ps.length === 0) return { ok: true, lease: noopLease }

    let denials: LimitDenial[] | null = null
    for (const p of ps) denials = check(p, call, denials)
    if (denials) {
      // Money before time: a budget refusal is final for now; among rate refusals, the longest wait.
      const final = denials.find((d) => d.kind === 'budget' || d.kind === 'price_unknown')
      const primary = final ?? denials.reduce((a, b) => ((b.retryAfterMs ?? Infinity) > (a.retryAfterMs ?? Infinity) ? b : a))
      return { ok: false, denial: primary, others: denials.filter((d) => d !== primary) }
    }

    const budgets: Held[] = []
    const rates: HeldRate[] = []
    const flights: FlightCounter[] = []
    for (const p of ps) {
      for (const b of p.budgets) {
        const need = b.c.unit === 'usd' ? (call.costMicros ?? 0) : call.tokens
        b.c.reserved += need
        budgets.push({ b, need, epoch: b.c.epoch })
      }
      for (const r of p.rates) {
        const need = r.c.unit === 'requests' ? 1 : call.rateTokens
        const bucket = windowAdd(r.c.window, call.at, need)
        if (r.c.unit === 'tokens') rates.push({ r, bucket, need })
      }
      if (p.flight) {
        p.flight.c.inFlight++
        flights.push(p.flight.c)
      }
    }
    return { ok: true, lease: lease(budgets, rates, flights) }
  }

  function reload(config: GovernorConfig, history: UsageHistory, now: number): void {
    const next = emptyCompiled()
    const nextCounters = new Map<string, BudgetCounter | RateCounter | FlightCounter>()
    for (const { scope, policy, setAt } of config.policies) {
      const base = `${scope.kind}:${scope.id}`
      const grants = (config.grants ?? []).filter((g) => g.scope.kind === scope.kind && g.scope.id === scope.id)
      const cp: CPolicy = { scope, budgets: [], rates: [], flight: null, grants }
      for (const b of policy.budgets ?? []) {
        const timeZone = b.timeZone ?? config.timeZone
        const startsAt = b.startsAt ?? setAt
        const key = `${base}|budget|${b.unit}|${JSON.stringify(b.period)}|${timeZone}|${b.period.kind === 'none' || b.period.kind === 'days' ? startsAt : ''}`
        let c = (nextCounters.get(key) ?? counters.get(key)) as BudgetCounter | undefined
        if (!c) {
          const w = periodWindow(b.period, now, timeZone, startsAt)
          const t = history.totals(scope, w.start, w.end)
          c = {
            key, unit: b.unit, period: b.period, timeZone, startsAt, periodStart: w.start, resetAt: w.end,
            spent: b.unit === 'usd' ? t.costMicros : t.tokens, reserved: 0, epoch: 0, alerted: new Set(history.alerts(key, w.start)),
          }
        }
        nextCounters.set(key, c)
        const compiledBudget = { c, limit: b.unit === 'usd' ? b.limitMicros : b.limitTokens, thresholds: b.alertThresholds ?? defaultAlertThresholds, scope }
        cp.budgets.push(compiledBudget)
        // A budget set (or lowered) below what is already spent says so at once.
        roll(c, now)
        alert(compiledBudget, Number.NEGATIVE_INFINITY, now)
      }
      for (const r of policy.rateLimits ?? []) {
        const key = `${base}|rate|${r.unit}|${r.per}`
        let c = (nextCounters.get(key) ?? counters.get(key)) as RateCounter | undefined
        if (!c) {
          c = { key, unit: r.unit, per: r.per, window: createSlidingWindow(windowMs[r.per]) }
          for (const call of history.calls(scope, now - windowMs[r.per] - c.window.bucketMs)) {
            windowAdd(c.window, call.at, r.unit === 'requests' ? 1 : call.tokens)
          }
        }
        nextCounters.set(key, c)
        cp.rates.push({ c, limit: r.limit })
      }
      if (policy.maxConcurrent !== undefined && policy.maxConcurrent !== null) {
        const key = `${base}|flight`
        const c = ((nextCounters.get(key) ?? counters.get(key)) as FlightCounter | undefined) ?? { key, inFlight: 0 }
        nextCounters.set(key, c)
        cp.flight = { c, max: policy.maxConcurrent }
      }
      if (cp.budgets.length === 0 && cp.rates.length === 0 && !cp.flight) continue
      next.all.push(cp)
      if (scope.kind === 'integration') next.byIntegration.set(scope.id, cp)
      else if (scope.kind === 'provider') next.byProvider.set(scope.id, cp)
      else if (scope.kind === 'workspace') next.byWorkspace.set(scope.id, cp)
      else if (scope.kind === 'apiKey') next.byKey.set(scope.id, cp)
      else {
        const [integrationId = '', workspaceId = ''] = scope.id.split('/')
        const m = next.byProvisioning.get(integrationId) ?? new Map<string, CPolicy>()
        m.set(workspaceId, cp)
        next.byProvisioning.set(integrationId, m)
      }
    }
    compiled = next
    counters = nextCounters
  }

  function status(at: number, filter: { kind?: LimitScopeKind; id?: string } = {}): LimitCounter[] {
    const out: LimitCounter[] = []
    for (const p of compiled.all) {
      if (filter.kind && p.scope.kind !== filter.kind) continue
      if (filter.id && p.scope.id !== filter.id) continue
      const head = { scope: p.scope.kind, id: p.scope.id, label: p.scope.label }
      for (const b of p.budgets) {
        roll(b.c, at)
        const limit = limitAt(p, b, at)
        out.push({
          ...head, kind: 'budget', unit: b.c.unit, limit, used: b.c.spent, reserved: b.c.reserved, period: describePeriod(b.c.period),
          periodStart: b.c.periodStart, resetAt: Number.isFinite(b.c.resetAt) ? b.c.resetAt : null, exhausted: b.c.spent >= limit,
        })
      }
      for (const r of p.rates) {
        const used = windowSum(r.c.window, at)
        out.push({ ...head, kind: 'rate', unit: r.c.unit, limit: r.limit, used, reserved: 0, period: r.c.per, periodStart: null, resetAt: null, exhausted: used >= r.limit })
      }
      if (p.flight) {
        out.push({ ...head, kind: 'concurrency', unit: 'calls', limit: p.flight.max, used: p.flight.c.inFlight, reserved: 0, period: 'now', periodStart: null, resetAt: null, exhausted: p.flight.c.inFlight >= p.flight.max })
      }
    }
    return out
  }

  return {
    reload,
    admit,
    status,
    onAlert: (fn) => void listeners.push(fn),
    active: () => compiled.all.length > 0,
  }
}
