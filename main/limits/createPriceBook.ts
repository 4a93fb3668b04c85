/**
 * One provider's price list, in order of precedence:
 *   1. the user's price for the model (custom model, negotiated rate, chargeback, free)
 *   2. the user's price for the whole integration
 *   3. the maintained catalog (@pydantic/genai-prices, offline)
 *   4. the provider file's built-in list
 *   5. self-hosted: 0
 * Built when the routing table compiles; lookups of unseen model names (dated variants) are
 * resolved once and remembered. Pure apart from that memo.
 */
import type { KnownModel } from '../providers/provider.ts'
import { catalogPrice } from './catalogPrice.ts'
import type { Price, PriceSet } from './Price.ts'

export type PriceBook = {
  /** Same shape as a Map's `get`, so callers need not know how prices are found. */
  get(model: string): Price | undefined
}

/** What the user set for one model: a price, token limits, or both. */
export type ModelSetting = { price?: PriceSet; maxInputTokens?: number; maxOutputTokens?: number }

export type PriceBookInput = {
  kind: string
  /** The price catalog's id for this provider, when it is not `kind` (its provider file's `catalogId`). */
  catalogId?: string
  category: 'hosted' | 'self-hosted' | 'azure'
  integrationSlug: string
  builtin: readonly KnownModel[]
  /** Per-model prices and limits set by the user (custom models and overrides). */
  models: ReadonlyMap<string, ModelSetting>
  /** A price for every model of the integration, set by the user. */
  integration: PriceSet | null
  /** Read the maintained catalog (off in tests that pin built-in prices). */
  useCatalog?: boolean
}

const MAX_REMEMBERED = 2000

export function createPriceBook(input: PriceBookInput): PriceBook {
  const builtin = new Map(input.builtin.map((m) => [m.id, m]))
  const memo = new Map<string, Price | null>()
  const base = (model: string): Price | undefined => {
    const own = input.models.get(model)?.price
    if (own) return { id: model, ...prices(own), source: { kind: 'custom-model', ref: `your price for ${model} on '${input.integrationSlug}'` } }
    if (input.integration) {
      return { id: model, ...prices(input.integration), source: { kind: 'custom-integration', ref: `your price for integration '${input.integrationSlug}'` } }
    }
    if (input.category === 'self-hosted') return { id: model, inputPrice: 0, outputPrice: 0, source: { kind: 'self-hosted', ref: 'self-hosted: free unless you set a price' } }
    const fromCatalog = input.useCatalog === false ? undefined : catalogPrice(input.catalogId ?? input.kind, model)
    if (fromCatalog) return fromCatalog
    const b = builtin.get(model)
    if (b && (b.inputPrice !== undefined || b.outputPrice !== undefined)) {
      return { id: model, inputPrice: b.inputPrice ?? 0, outputPrice: b.outputPrice ?? 0, ...(b.cachedInputPrice !== undefined ? { cachedInputPrice: b.cachedInputPrice } : {}), source: { kind: 'builtin', ref: `Switchyard's ${input.kind} provider file` } }
    }
    return undefined
  }
  const find = (model: string): Price | undefined => {
    const p = base(model)
    const s = input.models.get(model)
    if (!p || !s) return p
    return {
      ...p,
      ...(s.maxInputTokens !== undefined ? { maxInputTokens: s.maxInputTokens } : {}),
      ...(s.maxOutputTokens !== undefined ? { maxOutputTokens: s.maxOutputTokens } : {}),
    }
  }
  return {
    get(model) {
      const hit = memo.get(model)
      if (hit !== undefined) return hit ?? undefined
      const found = find(model)
      if (memo.size >= MAX_REMEMBERED) memo.clear()
      memo.set(model, found ?? null)
      return found
    },
  }
}

function prices(p: PriceSet): PriceSet {
  return {
    inputPrice: p.inputPrice,
    outputPrice: p.outputPrice,
    ...(p.cachedInputPrice !== undefined ? { cachedInputPrice: p.cachedInputPrice } : {}),
    ...(p.cacheWritePrice !== undefined ? { cacheWritePrice: p.cacheWritePrice } : {}),
    ...(p.reasoningPrice !== undefined ? { reasoningPrice: p.reasoningPrice } : {}),
  }
}
