/**
 * The model catalog's extra facts per provider: context and output limits, prices and where each
 * price comes from (`pricing:list`), and which model's snippets are open.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ModelPriceView } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'

export type CatalogState = {
  providerSlug: string | null
  prices: Record<string, ModelPriceView>
  open: string | null
  busy: boolean
  error: ControlErrorInfo | null
  load(providerSlug: string): Promise<void>
  toggle(model: string): void
}

export function createCatalogStore(gateway: Gateway): StoreApi<CatalogState> {
  return createStore<CatalogState>()((set, get) => ({
    providerSlug: null,
    prices: {},
    open: null,
    busy: false,
    error: null,
    async load(providerSlug) {
      if (get().providerSlug !== providerSlug) set({ providerSlug, prices: {}, open: null })
      const list = await attempt(set, () => gateway.invoke('pricing:list', { providerSlug }))
      if (list && get().providerSlug === providerSlug) set({ prices: Object.fromEntries(list.map((p) => [p.model, p])) })
    },
    toggle(model) {
      set({ open: get().open === model ? null : model })
    },
  }))
}
