/**
 * Workspaces screen: every workspace (archived too), create and archive/unarchive; and one API key's
 * settings (scopes, providers, expiry, default config, metadata, limits). The header selector's
 * store (`workspaces.ts`) is reloaded by the view after a change.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiKeyDetails, ApiKeyUpdate, Workspace } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'

export type WorkspaceAdminState = {
  items: Workspace[]
  loaded: boolean
  busy: boolean
  error: ControlErrorInfo | null
  formError: ControlErrorInfo | null
  key: ApiKeyDetails | null
  keyError: ControlErrorInfo | null
  load(): Promise<void>
  create(slug: string, name: string): Promise<Workspace | null>
  archive(id: string, archived: boolean): Promise<boolean>
  openKey(id: string): Promise<void>
  closeKey(): void
  updateKey(update: ApiKeyUpdate): Promise<boolean>
}

export function createWorkspaceAdminStore(gateway: Gateway): StoreApi<WorkspaceAdminState> {
  return createStore<WorkspaceAdminState>()((set, get) => ({
    items: [],
    loaded: false,
    busy: false,
    error: null,
    formError: null,
    key: null,
    keyError: null,
    async load() {
      const items = await attempt(set, () => gateway.invoke('workspaces:list', {}))
      if (items) set({ items, loaded: true })
    },
    async create(slug, name) {
      const w = await attempt(set, () => gateway.invoke('workspaces:create', name.trim() ? { slug: slug.trim(), name: name.trim() } : { slug: slug.trim() }), 'formError')
      if (w) await get().load()
      return w
    },
    async archive(id, archived) {
      const w = await attempt(set, () => gateway.invoke('workspaces:archive', { id, archived }))
      if (w) await get().load()
      return w !== null
    },
    async openKey(id) {
      const key = await attempt(set, () => gateway.invoke('keys:get', { id }), 'keyError')
      set({ key })
    },
    closeKey() {
      set({ key: null, keyError: null })
    },
    async updateKey(update) {
      const key = await attempt(set, () => gateway.invoke('keys:update', update), 'keyError')
      if (key) set({ key })
      return key !== null
    },
  }))
}
