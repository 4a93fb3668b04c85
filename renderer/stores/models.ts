/**
 * Models of one AI provider: known (priced), discovered upstream, or Azure deployments.
 * "Refresh from upstream" asks the provider for its list (`models:refresh`). Answers for a provider
 * the user has already switched away from are dropped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ModelEntry } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type ModelsState = {
  providerSlug: string | null
  entries: ModelEntry[]
  loading: boolean
  error: ControlErrorInfo | null
  refreshing: boolean
  refreshError: ControlErrorInfo | null
  /** When the last refresh from upstream succeeded (epoch ms), for "refreshed just now". */
  refreshedAt: number | null
  /** Chooses the provider to show; the view loads it (with the workspace) in an effect. */
  select(providerSlug: string): void
  load(providerSlug: string, workspaceId?: string): Promise<void>
  refresh(): Promise<void>
}

export function createModelsStore(
  gateway: Gateway,
  now: () => number = Date.now,
): StoreApi<ModelsState> {
  return createStore<ModelsState>()((set, get) => ({
    providerSlug: null,
    entries: [],
    loading: false,
    error: null,
    refreshing: false,
    refreshError: null,
    refreshedAt: null,
    select(providerSlug) {
      if (providerSlug === get().providerSlug) return
      set({ providerSlug, entries: [], error: null, refreshError: null, refreshedAt: null })
    },
    async load(providerSlug, workspaceId) {
      const switching = providerSlug !== get().providerSlug
      set({
        providerSlug,
        loading: true,
        error: null,
        ...(switching ? { entries: [], refreshError: null, refreshedAt: null } : {}),
      })
      try {
        const query = workspaceId ? { providerSlug, workspaceId } : { providerSlug }
        const entries = await gateway.invoke('models:list', query)
        if (get().providerSlug !== providerSlug) return
        set({ entries: sortModels(entries), loading: false })
      } catch (err) {
        if (get().providerSlug !== providerSlug) return
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
    async refresh() {
      const providerSlug = get().providerSlug
      if (providerSlug === null) return
      set({ refreshing: true, refreshError: null })
      try {
        const entries = await gateway.invoke('models:refresh', { providerSlug })
        if (get().providerSlug !== providerSlug) return
        set({ entries: sortModels(entries), refreshing: false, refreshedAt: now() })
      } catch (err) {
        if (get().providerSlug !== providerSlug) return
        set({ refreshing: false, refreshError: toErrorInfo(err) })
      }
    },
  }))
}

function sortModels(entries: ModelEntry[]): ModelEntry[] {
  return [...entries].sort((a, b) => a.model.localeCompare(b.model))
}
