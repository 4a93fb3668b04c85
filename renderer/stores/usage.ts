/**
 * Usage: the latest request rows (`usage:query`, newest first) and summaries grouped by provider and
 * by day (`usage:summary`) over a time range, for one workspace or all. Money stays in integer
 * micro-USD here; only the view formats it. The clock is injected for tests.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { UsageQuery, UsageRow, UsageSummaryRow } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type UsageRange = '24h' | '7d' | '30d'
export type UsageScope = 'workspace' | 'all'

export const usageRangeMs: Record<UsageRange, number> = {
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
}

/** How many rows the table asks for; the summaries cover the whole range regardless. */
export const USAGE_ROW_LIMIT = 200

export type UsageTotals = {
  requests: number
  errors: number
  inputTokens: number
  outputTokens: number
  cachedTokens: number
  costMicros: number
}

/** Sums summary rows (any grouping) into one total. Integer arithmetic throughout. */
export function totalUsage(rows: UsageSummaryRow[]): UsageTotals {
  const total: UsageTotals = {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    costMicros: 0,
  }
  for (const row of rows) {
    total.requests += row.requests
    total.errors += row.errors
    total.inputTokens += row.inputTokens
    total.outputTokens += row.outputTokens
    total.cachedTokens += row.cachedTokens
    total.costMicros += row.costMicros
  }
  return total
}

export type UsageState = {
  range: UsageRange
  scope: UsageScope
  /** The workspace selected in the header, used when `scope` is 'workspace'. */
  workspaceId: string | null
  rows: UsageRow[]
  byProvider: UsageSummaryRow[]
  byDay: UsageSummaryRow[]
  loading: boolean
  error: ControlErrorInfo | null
  loadedAt: number | null
  load(workspaceId?: string | null): Promise<void>
  setRange(range: UsageRange): Promise<void>
  setScope(scope: UsageScope): Promise<void>
}

export type UsageStoreOptions = {
  now?: () => number
  timeZone?: string
}

export function createUsageStore(
  gateway: Gateway,
  options: UsageStoreOptions = {},
): StoreApi<UsageState> {
  const now = options.now ?? Date.now
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  let generation = 0
  return createStore<UsageState>()((set, get) => ({
    range: '24h',
    scope: 'all',
    workspaceId: null,
    rows: [],
    byProvider: [],
    byDay: [],
    loading: false,
    error: null,
    loadedAt: null,
    async load(workspaceId) {
      if (workspaceId !== undefined) set({ workspaceId })
      const { range, scope } = get()
      const at = now()
      const filter: Omit<UsageQuery, 'limit' | 'offset' | 'traceId'> = {
        since: at - usageRangeMs[range],
      }
      const scoped = get().workspaceId
      if (scope === 'workspace' && scoped !== null) filter.workspaceId = scoped
      const mine = ++generation
      set({ loading: true, error: null })
      try {
        const [rows, byProvider, byDay] = await Promise.all([
          gateway.invoke('usage:query', { ...filter, limit: USAGE_ROW_LIMIT }),
          gateway.invoke('usage:summary', { ...filter, groupBy: 'provider' }),
          gateway.invoke('usage:summary', { ...filter, groupBy: 'day', timeZone }),
        ])
        if (mine !== generation) return
        set({
          rows: newestFirst(rows),
          byProvider: [...byProvider].sort((a, b) => b.costMicros - a.costMicros || b.requests - a.requests),
          byDay: [...byDay].sort((a, b) => a.key.localeCompare(b.key)),
          loading: false,
          loadedAt: at,
        })
      } catch (err) {
        if (mine !== generation) return
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
    async setRange(range) {
      set({ range })
      await get().load()
    },
    async setScope(scope) {
      set({ scope })
      await get().load()
    },
  }))
}

function newestFirst(rows: UsageRow[]): UsageRow[] {
  return [...rows].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
}
