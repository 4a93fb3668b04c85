/**
 * Prices from the maintained catalog that ships with the app: @pydantic/genai-prices (bundled data,
 * works offline). Converts its USD-per-million floats into integer micro-USD once per (provider,
 * model) and remembers the answer. Never on the request path after the first call for a model;
 * never touches the network.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type * as Catalog from '@pydantic/genai-prices'
import type { PricedSet, Price, PriceSchedule, PriceTier } from './Price.ts'
import { matches, tableFinder, type PriceTable, type TableModel, type TableProvider } from './priceTable.ts'

export const catalogName = '@pydantic/genai-prices'
export const catalogVersion = '0.1.8'

/** The compact table `scripts/build.ts` writes next to the bundled module that reads it. */
export const builtTableName = 'genai-prices.json'
const builtTableFile = fileURLToPath(new URL(`./${builtTableName}`, import.meta.url))

export type FindProvider = (providerId: string) => TableProvider | undefined

/**
 * Loaded on the first price lookup, not at start (the desktop app mostly sits in the tray): the
 * bundle's compact table when there is one of this catalog version, else the package itself
 * (running from source), searched by its own `findProvider`. Both give the same prices
 * (test/unit/priceTable.test.ts).
 */
let find: FindProvider | undefined
function loadCatalog(): FindProvider {
  let table: PriceTable | undefined
  try {
    table = JSON.parse(readFileSync(builtTableFile, 'utf8')) as PriceTable
  } catch {
    table = undefined // not bundled
  }
  if (table?.catalogVersion === catalogVersion) return tableFinder(table)
  const pkg = createRequire(import.meta.url)('@pydantic/genai-prices') as typeof Catalog
  return (id) => pkg.findProvider({ providerId: id })
}

const MAX_REMEMBERED = 5000
const remembered = new Map<string, Price | null>()

/** The catalog's price for `model` at its provider `providerId` (a provider file's `catalogId ?? id`), or undefined. */
export function catalogPrice(providerId: string, model: string): Price | undefined {
  const key = `${providerId}\u0000${model}`
  const hit = remembered.get(key)
  if (hit !== undefined) return hit ?? undefined
  const found = lookupPrice((find ??= loadCatalog()), providerId, model)
  if (remembered.size >= MAX_REMEMBERED) remembered.clear()
  remembered.set(key, found ?? null)
  return found
}

/** The price of `model` at `providerId` through `findProvider`, uncached: the catalog's own rules (dated names, fallbacks). */
export function lookupPrice(findProvider: FindProvider, providerId: string, model: string): Price | undefined {
  let provider: TableProvider | undefined
  try {
    provider = findProvider(providerId)
  } catch {
    return undefined
  }
  if (!provider) return undefined
  const info = matchModel(provider, model) ?? fallback(findProvider, provider, model)
  if (!info) return undefined
  return toPrice(model, info.model, info.provider)
}

function fallback(findProvider: FindProvider, provider: TableProvider, model: string): { model: TableModel; provider: TableProvider } | undefined {
  for (const id of provider.fallback_model_providers ?? []) {
    const p = findProvider(id)
    const m = p && matchModel(p, model)
    if (m) return m
  }
  return undefined
}

function matchModel(provider: TableProvider, model: string): { model: TableModel; provider: TableProvider } | undefined {
  const candidates = [model, model.replace(/-(20\d{2})(\d{2})(\d{2})(?=-|$)/, '-$1-$2-$3')]
  for (const name of candidates) {
    const m = provider.models.find((x) => matches(x.match, name))
    if (m) return { model: m, provider }
  }
  return undefined
}

function toPrice(id: string, info: TableModel, provider: TableProvider): Price | undefined {
  const source = {
    kind: 'catalog' as const,
    ref: `${catalogName} ${catalogVersion} (${provider.id}/${info.id})`,
    ...(provider.pricing_urls?.[0] ? { url: provider.pricing_urls[0] } : {}),
  }
  const window = info.context_window ? { maxInputTokens: info.context_window } : {}
  if (!Array.isArray(info.prices)) {
    const base = toSet(info.prices)
    return base && { id, ...base, source, ...window }
  }
  const schedule: Array<PriceSchedule[number]> = []
  for (const c of info.prices) {
    const prices = toSet(c.prices)
    if (!prices) continue
    const k = c.constraint
    if (!k) schedule.push({ prices })
    else if (k.type === 'start_date') schedule.push({ since: Date.parse(k.start_date), prices })
    else schedule.push({ dailyUtcSeconds: [utcSeconds(k.start_time), utcSeconds(k.end_time)], prices })
  }
  const first = schedule[0]
  if (!first) return undefined
  return { id, ...first.prices, schedule, source, ...window }
}

/** `HH:MM:SS(Z|±HH:MM)` → seconds after UTC midnight. */
function utcSeconds(t: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(t)
  if (!m) return 0
  const local = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])
  const offset = m[4] === 'Z' ? 0 : (m[5] === '+' ? 1 : -1) * (Number(m[6]) * 3600 + Number(m[7]) * 60)
  return (((local - offset) % 86_400) + 86_400) % 86_400
}

type Tiered = { base: number; tiers: Array<{ start: number; price: number }> }

const micros = (usdPerMillion: number) => Math.round(usdPerMillion * 1_000_000)

/** The token prices of one catalog entry; undefined when it prices no tokens (per-request, per-image…). */
function toSet(p: Catalog.ModelPrice): PricedSet | undefined {
  const keys = { inputPrice: 'input_mtok', outputPrice: 'output_mtok', cachedInputPrice: 'cache_read_mtok', cacheWritePrice: 'cache_write_mtok', reasoningPrice: 'output_reasoning_mtok' } as const
  const base: Partial<Record<keyof typeof keys, number>> = {}
  const thresholds = new Set<number>()
  for (const [field, key] of Object.entries(keys) as Array<[keyof typeof keys, string]>) {
    const v = p[key]
    if (typeof v === 'number') base[field] = micros(v)
    else if (v && typeof v === 'object') {
      const t = v as unknown as Tiered
      base[field] = micros(t.base)
      for (const tier of t.tiers) thresholds.add(tier.start)
    }
  }
  if (base.inputPrice === undefined && base.outputPrice === undefined) return undefined
  const set: PricedSet = { inputPrice: base.inputPrice ?? 0, outputPrice: base.outputPrice ?? 0, ...pick(base) }
  if (thresholds.size === 0) return set
  const tiers: PriceTier[] = [...thresholds].sort((a, b) => a - b).map((start) => {
    const at: Partial<Record<keyof typeof keys, number>> = {}
    for (const [field, key] of Object.entries(keys) as Array<[keyof typeof keys, string]>) {
      const v = p[key]
      if (typeof v === 'number') at[field] = micros(v)
      else if (v && typeof v === 'object') {
        const t = v as unknown as Tiered
        let price = t.base
        for (const tier of t.tiers) if (start >= tier.start) price = tier.price
        at[field] = micros(price)
      }
    }
    return { aboveInputTokens: start, prices: { inputPrice: at.inputPrice ?? 0, outputPrice: at.outputPrice ?? 0, ...pick(at) } }
  })
  return { ...set, tiers }
}

function pick(b: Partial<Record<'cachedInputPrice' | 'cacheWritePrice' | 'reasoningPrice', number>>) {
  return {
    ...(b.cachedInputPrice !== undefined ? { cachedInputPrice: b.cachedInputPrice } : {}),
    ...(b.cacheWritePrice !== undefined ? { cacheWritePrice: b.cacheWritePrice } : {}),
    ...(b.reasoningPrice !== undefined ? { reasoningPrice: b.reasoningPrice } : {}),
  }
}
