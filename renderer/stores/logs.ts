/**
 * The request log: newest first, filtered and searched on the server (`usage:logs`), paged by the
 * last row seen so rows arriving meanwhile never shift a page. With the live tail on, rows from the
 * live feed that match the filters are put on top (up to `MAX_LOG_ROWS`); paused, they are counted.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { UsageBodies, UsageLogQuery, UsageRow } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export const LOG_PAGE = 500
export const MAX_LOG_ROWS = 100_000

export type LogFilters = Omit<UsageLogQuery, 'since' | 'until' | 'metadata' | 'before' | 'limit'>

export type LogsState = {
  filters: LogFilters
  rows: UsageRow[]
  hasMore: boolean
  loading: boolean
  loadingMore: boolean
  error: ControlErrorInfo | null
  live: boolean
  /** Matching rows that arrived while the tail was paused. */
  missed: number
  selectedId: number | null
  /** The selected row's captured bodies (`usage:body`), fetched when the drawer asks. */
  bodies: { id: number; value: UsageBodies | null; error: ControlErrorInfo | null } | null
  load(): Promise<void>
  loadMore(): Promise<void>
  setFilters(change: Partial<LogFilters>): Promise<void>
  setLive(live: boolean): Promise<void>
  select(id: number | null): void
  loadBodies(id: number): Promise<void>
  /** Rows from the live feed (any order). */
  receive(rows: UsageRow[]): void
}

/** Does a row pass the filters? The same rules as the server's query (search: case-insensitive substring). Pure. */
export function matchesLogFilters(row: UsageRow, f: LogFilters): boolean {
  if (f.status === 'ok' && row.status >= 400) return false
  if (f.status === 'error' && row.status < 400) return false
  if (f.workspaceId && row.workspaceId !== f.workspaceId) return false
  if (f.providerSlug && row.providerSlug !== f.providerSlug) return false
  if (f.model && row.model !== f.model) return false
  if (f.apiKeyId && row.apiKeyId !== f.apiKeyId) return false
  if (f.project && row.metadata?.project !== f.project) return false
  if (f.branch && row.metadata?.branch !== f.branch) return false
  if (f.search) {
    const s = f.search.toLowerCase()
    const hay = [row.model, row.providerSlug, row.traceId, row.error, row.endpoint, row.metadata ? JSON.stringify(row.metadata) : null]
    if (!hay.some((h) => h !== null && h.toLowerCase().includes(s))) return false
  }
  return true
}

const newestFirst = (a: UsageRow, b: UsageRow) => b.createdAt - a.createdAt || b.id - a.id

export function createLogsStore(gateway: Gateway): StoreApi<LogsState> {
  let generation = 0
  const query = (f: LogFilters, extra: Partial<UsageLogQuery> = {}): UsageLogQuery => {
    const q: UsageLogQuery = { limit: LOG_PAGE, ...extra }
    for (const [k, v] of Object.entries(f)) if (v) (q as Record<string, unknown>)[k] = v
    return q
  }
  return createStore<LogsState>()((set, get) => ({
    filters: {},
    rows: [],
    hasMore: false,
    loading: false,
    loadingMore: false,
    error: null,
    live: true,
    missed: 0,
    selectedId: null,
    bodies: null,
    async load() {
      const mine = ++generation
      set({ loading: true, error: null })
      try {
        const rows = await gateway.invoke('usage:logs', query(get().filters))
        if (mine !== generation) return
        set({ rows, hasMore: rows.length === LOG_PAGE, loading: false, missed: 0 })
      } catch (err) {
        if (mine === generation) set({ loading: false, error: toErrorInfo(err) })
      }
    },
    async loadMore() {
      const { rows, hasMore, loadingMore, filters } = get()
      const last = rows.at(-1)
      if (!hasMore || loadingMore || !last || rows.length >= MAX_LOG_ROWS) return
      const mine = generation
      set({ loadingMore: true })
      try {
        const page = await gateway.invoke('usage:logs', query(filters, { before: { createdAt: last.createdAt, id: last.id } }))
        if (mine !== generation) return
        set((s) => ({ rows: s.rows.concat(page), hasMore: page.length === LOG_PAGE, loadingMore: false }))
      } catch (err) {
        if (mine === generation) set({ loadingMore: false, error: toErrorInfo(err) })
      }
    },
    async setFilters(change) {
      const filters = { ...get().filters, ...change }
      for (const k of Object.keys(filters) as Array<keyof LogFilters>) if (!filters[k]) delete filters[k]
      set({ filters })
      await get().load()
    },
    async setLive(live) {
      set({ live })
      if (live && get().missed > 0) await get().load()
    },
    select: (selectedId) => set({ selectedId }),
    async loadBodies(id) {
      set({ bodies: { id, value: null, error: null } })
      try {
        const value = await gateway.invoke('usage:body', { id })
        if (get().bodies?.id === id) set({ bodies: { id, value, error: null } })
      } catch (err) {
        if (get().bodies?.id === id) set({ bodies: { id, value: null, error: toErrorInfo(err) } })
      }
    },
    receive(incoming) {
      const { filters, live, rows } = get()
      const fresh = incoming.filter((r) => matchesLogFilters(r, filters))
      if (fresh.length === 0) return
      if (!live) return set((s) => ({ missed: s.missed + fresh.length }))
      const known = new Set(rows.slice(0, fresh.length + 50).map((r) => r.id))
      const add = fresh.filter((r) => !known.has(r.id)).sort(newestFirst)
      if (add.length === 0) return
      const next = add.concat(rows)
      const capped = next.length > MAX_LOG_ROWS
      set((s) => ({ rows: capped ? next.slice(0, MAX_LOG_ROWS) : next, hasMore: s.hasMore || capped }))
    },
  }))
}
