/**
 * The part of @pydantic/genai-prices' catalog that pricing reads: per provider its id, aliases,
 * first pricing page and fallbacks; per model its match rule, context window and token prices.
 * The package itself is ~0.5 MB of JavaScript object literals (≈ 19 MB of RSS and ~70 ms to load);
 * this table is ~300 KB of JSON, each provider's models a JSON string of their own, parsed when that
 * provider is first priced (a gateway prices a few providers, not 43). `scripts/build.ts` writes it
 * next to the bundle; running from source, the package is searched directly.
 */
import type { MatchLogic, ModelInfo, ModelPrice, Provider } from '@pydantic/genai-prices'

/** The price keys `catalogPrice` converts; the others (audio, images, per request…) bill nothing here. */
export const tokenPriceKeys = ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'output_reasoning_mtok'] as const

/** A catalog model and provider as pricing reads them; the package's own `Provider` is one too. */
export type TableModel = Pick<ModelInfo, 'id' | 'match' | 'context_window' | 'prices'>
export type TableProvider = Pick<Provider, 'id' | 'provider_match' | 'pricing_urls' | 'fallback_model_providers'> & { models: TableModel[] }
/** A provider in the table: its models still as JSON text. */
export type TableEntry = Omit<TableProvider, 'models'> & { models: string }
export type PriceTable = { catalogVersion: string; providers: TableEntry[] }

function tokenPrices(p: ModelPrice): ModelPrice {
  const out: ModelPrice = {}
  // JSON keeps a tiered price's { base, tiers } (tiers sorted by the package): all catalogPrice reads.
  for (const k of tokenPriceKeys) if (p[k] !== undefined) out[k] = JSON.parse(JSON.stringify(p[k])) as ModelPrice[string]
  return out
}

export function compactCatalog(providers: readonly Provider[], catalogVersion: string): PriceTable {
  return {
    catalogVersion,
    providers: providers.map((p) => ({
      id: p.id,
      ...(p.provider_match ? { provider_match: p.provider_match } : {}),
      ...(p.pricing_urls?.[0] ? { pricing_urls: [p.pricing_urls[0]] } : {}),
      ...(p.fallback_model_providers ? { fallback_model_providers: p.fallback_model_providers } : {}),
      models: JSON.stringify(
        p.models.map((m): TableModel => ({
          id: m.id,
          match: m.match,
          ...(m.context_window ? { context_window: m.context_window } : {}),
          prices: Array.isArray(m.prices)
            ? m.prices.map((c) => ({ ...(c.constraint ? { constraint: c.constraint } : {}), prices: tokenPrices(c.prices) }))
            : tokenPrices(m.prices),
        })),
      ),
    })),
  }
}

/**
 * Finds providers by the package's own rule (its `findProvider({ providerId })`): the id, trimmed and
 * lower-cased, else a provider's alias rule. Each provider's models are parsed once, when first found.
 */
export function tableFinder(table: PriceTable): (providerId: string) => TableProvider | undefined {
  const parsed = new Map<TableEntry, TableProvider>()
  return (providerId) => {
    const id = providerId.toLowerCase().trim()
    const entry = table.providers.find((p) => p.id === id) ?? table.providers.find((p) => p.provider_match && matches(p.provider_match, id))
    if (!entry) return undefined
    let provider = parsed.get(entry)
    if (!provider) parsed.set(entry, (provider = { ...entry, models: JSON.parse(entry.models) as TableModel[] }))
    return provider
  }
}

/** A catalog match rule against a name: case-insensitive, except regexes (as in the package). */
export function matches(m: MatchLogic, name: string): boolean {
  const s = name.toLowerCase()
  if ('or' in m) return m.or.some((x) => matches(x, name))
  if ('and' in m) return m.and.every((x) => matches(x, name))
  if ('equals' in m) return s === m.equals.toLowerCase()
  if ('starts_with' in m) return s.startsWith(m.starts_with.toLowerCase())
  if ('ends_with' in m) return s.endsWith(m.ends_with.toLowerCase())
  if ('contains' in m) return s.includes(m.contains.toLowerCase())
  if ('regex' in m) return new RegExp(m.regex).test(name)
  return false
}
