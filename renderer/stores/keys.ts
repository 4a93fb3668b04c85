/**
 * API keys of one workspace: the local tokens clients send to the gateway. A created key is revealed
 * exactly once (`revealed`), in memory only: dismissing it, switching workspace or reloading the
 * page drops it, and the server keeps only a hash. The list shows `prefix` for recognition.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiKey, CreatedApiKey } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type KeysState = {
  workspaceId: string | null
  items: ApiKey[]
  loading: boolean
  error: ControlErrorInfo | null
  saving: boolean
  formError: ControlErrorInfo | null
  actionError: ControlErrorInfo | null
  /** The one moment the full key exists in the UI. */
  revealed: CreatedApiKey | null
  load(workspaceId: string): Promise<void>
  create(name: string): Promise<boolean>
  dismissReveal(): void
  revoke(id: string): Promise<boolean>
}

export function createKeysStore(gateway: Gateway): StoreApi<KeysState> {
  return createStore<KeysState>()((set, get) => ({
    workspaceId: null,
    items: [],
    loading: false,
    error: null,
    saving: false,
    formError: null,
    actionError: null,
    revealed: null,
    async load(workspaceId) {
      const switching = workspaceId !== get().workspaceId
      set({
        workspaceId,
        loading: true,
        error: null,
        ...(switching ? { items: [], revealed: null, formError: null, actionError: null } : {}),
      })
      try {
        const items = await gateway.invoke('keys:list', { workspaceId })
        if (get().workspaceId !== workspaceId) return
        set({ items: sortKeys(items), loading: false })
      } catch (err) {
        if (get().workspaceId !== workspaceId) return
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
    async create(name) {
      const workspaceId = get().workspaceId
      if (workspaceId === null) return false
      set({ saving: true, formError: null, revealed: null })
      try {
        const created = await gateway.invoke('keys:create', { name: name.trim(), workspaceId })
        if (get().workspaceId !== workspaceId) return false
        const { key: _secret, ...summary } = created
        set({
          items: sortKeys([...get().items.filter((k) => k.id !== created.id), summary]),
          revealed: created,
          saving: false,
        })
        return true
      } catch (err) {
        set({ saving: false, formError: toErrorInfo(err) })
        return false
      }
    },
    dismissReveal() {
      set({ revealed: null })
    },
    async revoke(id) {
      set({ actionError: null })
      try {
        const revoked = await gateway.invoke('keys:revoke', { id })
        set({
          items: sortKeys(get().items.map((k) => (k.id === revoked.id ? revoked : k))),
          revealed: get().revealed?.id === id ? null : get().revealed,
        })
        return true
      } catch (err) {
        set({ actionError: toErrorInfo(err) })
        return false
      }
    },
  }))
}

/** Active keys first, newest first within each group. */
function sortKeys(items: ApiKey[]): ApiKey[] {
  return [...items].sort((a, b) => {
    const activeA = a.revokedAt === null ? 0 : 1
    const activeB = b.revokedAt === null ? 0 : 1
    return activeA - activeB || b.createdAt - a.createdAt
  })
}
