/**
 * Workspaces for the header selector. The selected workspace scopes API keys, models and (optionally)
 * usage. Owns only the list and the selection; other stores are told the id, they do not read this one.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Workspace } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type WorkspacesState = {
  items: Workspace[]
  selectedId: string | null
  loading: boolean
  error: ControlErrorInfo | null
  load(): Promise<void>
  select(id: string): void
}

export function createWorkspacesStore(gateway: Gateway): StoreApi<WorkspacesState> {
  return createStore<WorkspacesState>()((set, get) => ({
    items: [],
    selectedId: null,
    loading: false,
    error: null,
    async load() {
      set({ loading: true, error: null })
      try {
        const all = await gateway.invoke('workspaces:list', {})
        const items = all.filter((w) => w.archivedAt === null)
        const current = get().selectedId
        const keep = items.some((w) => w.id === current)
        const fallback = items.find((w) => w.isDefault) ?? items[0]
        set({ items, selectedId: keep ? current : (fallback?.id ?? null), loading: false })
      } catch (err) {
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
    select(id) {
      if (get().items.some((w) => w.id === id)) set({ selectedId: id })
    },
  }))
}
