/**
 * AI providers: the `@slug` a client names in `model: "@slug/<model>"` or `x-portkey-provider`,
 * each made from one integration. Owns the list and the create/delete outcomes.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AIProvider } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type ProviderInput = { slug: string; name?: string; integrationId: string }

export type ProvidersState = {
  items: AIProvider[]
  loading: boolean
  error: ControlErrorInfo | null
  saving: boolean
  formError: ControlErrorInfo | null
  actionError: ControlErrorInfo | null
  load(): Promise<void>
  create(input: ProviderInput): Promise<AIProvider | null>
  remove(id: string): Promise<boolean>
}

/** Users type `@openai-prod` as they will use it; the API wants the bare slug. */
export function normalizeProviderSlug(slug: string): string {
  return slug.trim().replace(/^@+/, '')
}

export function createProvidersStore(gateway: Gateway): StoreApi<ProvidersState> {
  return createStore<ProvidersState>()((set, get) => ({
    items: [],
    loading: false,
    error: null,
    saving: false,
    formError: null,
    actionError: null,
    async load() {
      set({ loading: true, error: null })
      try {
        const items = await gateway.invoke('providers:list', {})
        set({ items: sortBySlug(items), loading: false })
      } catch (err) {
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
    async create(input) {
      set({ saving: true, formError: null })
      const payload: ProviderInput = {
        slug: normalizeProviderSlug(input.slug),
        integrationId: input.integrationId,
      }
      const name = input.name?.trim()
      if (name) payload.name = name
      try {
        const created = await gateway.invoke('providers:create', payload)
        set({
          items: sortBySlug([...get().items.filter((p) => p.id !== created.id), created]),
          saving: false,
        })
        return created
      } catch (err) {
        set({ saving: false, formError: toErrorInfo(err) })
        return null
      }
    },
    async remove(id) {
      set({ actionError: null })
      try {
        await gateway.invoke('providers:delete', { id })
        set({ items: get().items.filter((p) => p.id !== id) })
        return true
      } catch (err) {
        set({ actionError: toErrorInfo(err) })
        return false
      }
    },
  }))
}

function sortBySlug(items: AIProvider[]): AIProvider[] {
  return [...items].sort((a, b) => a.slug.localeCompare(b.slug))
}
