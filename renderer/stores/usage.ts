/**
 * Usage analytics: a time range, filters (workspace, provider, model, API key, project, branch, one
 * metadata key=value) and an optional grouping, answered by `usage:analytics` (series over time)
 * and `usage:facets` (what the filter menus offer). `refresh()` reloads quietly, for live updates.
 * Money stays in integer micro-USD here; only views format it. The clock is injected for tests.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { UsageAnalytics, UsageAnalyticsQuery, UsageDimension, UsageFacets, UsageFilter } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type UsageRange = '1h' | '24h' | '7d' | '30d'

export const usageRangeMs: Record<UsageRange, number> = {
  '1h': 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
}

/** The contract's filters less the time range; one metadata key and value, matched exactly. */
export type UsageFilters = Omit<Partial<UsageFilter>, 'since' | 'until' | 'metadata'> & { metadata?: { key: string; value: string } }

export type UsageGroupBy = UsageDimension | `metadata:${string}` | null

export type UsageState = {
  range: UsageRange
  filters: UsageFilters
  groupBy: UsageGroupBy
  data: UsageAnalytics | null
  facets: UsageFacets | null
  loading: boolean
  error: ControlErrorInfo | null
  loadedAt: number | null
  load(): Promise<void>
  /** Reloads without the loading state (live updates): the charts change in place. */
  refresh(): Promise<void>
  setRange(range: UsageRange): Promise<void>
  setFilter<K extends keyof UsageFilters>(key: K, value: UsageFilters[K] | undefined): Promise<void>
  setGroupBy(groupBy: UsageGroupBy): Promise<void>
}

export type UsageStoreOptions = { now?: () => number; utcOffsetMinutes?: () => number }

/** The query a state stands for. Pure. */
export function analyticsQuery(state: Pick<UsageState, 'range' | 'filters' | 'groupBy'>, now: number, utcOffsetMinutes: number): UsageAnalyticsQuery {
  const { metadata, ...simple } = state.filters
  const q: UsageAnalyticsQuery = { since: now - usageRangeMs[state.range], until: now, utcOffsetMinutes }
  for (const [k, v] of Object.entries(simple)) if (v) (q as Record<string, unknown>)[k] = v
  if (metadata && metadata.key && metadata.value) q.metadata = { [metadata.key]: metadata.value }
  if (state.groupBy) q.groupBy = state.groupBy
  return q
}

export function createUsageStore(gateway: Gateway, options: UsageStoreOptions = {}): StoreApi<UsageState> {
  const now = options.now ?? Date.now
  const offset = options.utcOffsetMinutes ?? (() => -new Date().getTimezoneOffset())
  let generation = 0
  return createStore<UsageState>()((set, get) => {
    async function fetchAll(quiet: boolean): Promise<void> {
      const at = now()
      const q = analyticsQuery(get(), at, offset())
      const mine = ++generation
      if (!quiet) set({ loading: true, error: null })
      try {
        const [data, facets] = await Promise.all([
          gateway.invoke('usage:analytics', q),
          gateway.invoke('usage:facets', { since: q.since, until: at }),
        ])
        if (mine !== generation) return
        set({ data, facets, loading: false, error: null, loadedAt: at })
      } catch (err) {
        if (mine !== generation) return
        set({ loading: false, error: toErrorInfo(err) })
      }
    }
    return {
      range: '24h',
      filters: {},
      groupBy: null,
      data: null,
      facets: null,
      loading: false,
      error: null,
      loadedAt: null,
      load: () => fetchAll(false),
      refresh: () => fetchAll(true),
      async setRange(range) {
        set({ range })
        await fetchAll(false)
      },
      async setFilter(key, value) {
        const filters = { ...get().filters }
        if (value === undefined || value === '') delete filters[key]
        else filters[key] = value
        set({ filters })
        await fetchAll(false)
      },
      async setGroupBy(groupBy) {
        set({ groupBy })
        await fetchAll(false)
      },
    }
  })
}
