/**
 * Budgets and limits: every live counter (spend, reserved, remaining, reset) and the policy behind
 * each scope, edited in place. `load` is cheap and the view polls it, so gauges move while calls run.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Budget, LimitCounter, LimitPolicy, LimitScopeKind } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'

export type BudgetsState = {
  counters: LimitCounter[]
  /** Alert thresholds of each scope's USD/token budget, by `scope:id` (default 50/80/100). */
  thresholds: Record<string, number[]>
  loaded: boolean
  busy: boolean
  error: ControlErrorInfo | null
  saveError: ControlErrorInfo | null
  load(): Promise<void>
  /** Sets (or with null clears) the scope's USD budget, keeping its other limits. */
  setUsdBudget(scope: LimitScopeKind, id: string, limitMicros: number | null, period: Budget['period'], alertThresholds?: number[]): Promise<boolean>
  setRateLimit(scope: LimitScopeKind, id: string, requestsPerMinute: number | null): Promise<boolean>
}

/** Where a gauge stands: fractions of the limit spent and held, what remains (never below 0). */
export function gaugeParts(c: Pick<LimitCounter, 'limit' | 'used' | 'reserved'>): { spent: number; held: number; remaining: number } {
  const limit = Math.max(c.limit, 0)
  if (limit === 0) return { spent: 1, held: 0, remaining: 0 }
  const spent = Math.min(c.used / limit, 1)
  const held = Math.min(c.reserved / limit, 1 - spent)
  return { spent, held, remaining: Math.max(limit - c.used - c.reserved, 0) }
}

/** The governor's default alert thresholds (percent). */
export const defaultThresholds = [50, 80, 100]

export function createBudgetsStore(gateway: Gateway): StoreApi<BudgetsState> {
  const store = createStore<BudgetsState>()((set) => ({
    counters: [],
    thresholds: {},
    loaded: false,
    busy: false,
    error: null,
    saveError: null,
    async load() {
      const counters = await attempt(set, () => gateway.invoke('limits:status', {}))
      if (!counters) return
      set({ counters, loaded: true })
      // Thresholds live in the policies, not the counters: read each budgeted scope's once.
      const known = store.getState().thresholds
      const missing = [...new Set(counters.filter((c) => c.kind === 'budget').map((c) => `${c.scope}:${c.id}`))].filter((k) => !(k in known))
      const found = await Promise.all(
        missing.map(async (k) => {
          const c = counters.find((x) => `${x.scope}:${x.id}` === k) as LimitCounter
          const view = await gateway.invoke('limits:get', { scope: c.scope, id: c.id }).catch(() => null)
          return [k, view?.policy?.budgets?.find((b) => b.alertThresholds)?.alertThresholds ?? defaultThresholds] as const
        }),
      )
      if (found.length) set({ thresholds: { ...store.getState().thresholds, ...Object.fromEntries(found) } })
    },
    async setUsdBudget(scope, id, limitMicros, period, alertThresholds) {
      return change(scope, id, (p) => {
        const others = (p.budgets ?? []).filter((b) => b.unit !== 'usd')
        const budget: Budget | null = limitMicros === null ? null : { unit: 'usd', limitMicros, period, ...(alertThresholds ? { alertThresholds } : {}) }
        return { ...p, budgets: budget ? [...others, budget] : others }
      })
    },
    async setRateLimit(scope, id, rpm) {
      return change(scope, id, (p) => {
        const others = (p.rateLimits ?? []).filter((r) => !(r.unit === 'requests' && r.per === 'minute'))
        return { ...p, rateLimits: rpm === null ? others : [...others, { unit: 'requests', limit: rpm, per: 'minute' }] }
      })
    },
  }))

  async function change(scope: LimitScopeKind, id: string, edit: (p: LimitPolicy) => LimitPolicy): Promise<boolean> {
    const done = await attempt(
      store.setState,
      async () => {
        const current = await gateway.invoke('limits:get', { scope, id })
        const next = edit(current.policy ?? {})
        const empty = !next.budgets?.length && !next.rateLimits?.length && (next.maxConcurrent ?? null) === null
        await gateway.invoke('limits:set', { scope, id, policy: empty ? null : next })
        return true
      },
      'saveError',
    )
    if (done) {
      const { [`${scope}:${id}`]: _dropped, ...rest } = store.getState().thresholds
      store.setState({ thresholds: rest })
      await store.getState().load()
    }
    return done === true
  }
  return store
}
