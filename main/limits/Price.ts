/**
 * A model's price as the gateway bills it: integer micro-USD per million tokens, per kind of token,
 * with where the price came from. Pure types. Structurally a `KnownModel` (providers/provider.ts),
 * so code that only knows input/output/cached prices keeps working.
 */

/** One set of per-million-token prices, in micro-USD (USD 2.50 / 1M → 2_500_000). */
export type PriceSet = {
  inputPrice: number
  outputPrice: number
  /** Cache reads; default: the input price. (`cachedInputPrice` keeps the name `KnownModel` uses.) */
  cachedInputPrice?: number
  /** Cache writes (Anthropic's cache creation); default: the input price. */
  cacheWritePrice?: number
  /** Reasoning tokens, where a model bills them apart from output; default: the output price. */
  reasoningPrice?: number
}

/** A price that switches once a request's input passes a size (Gemini and GPT-5.4 long-context tiers). */
export type PriceTier = { aboveInputTokens: number; prices: PriceSet }

export type PricedSet = PriceSet & { tiers?: readonly PriceTier[] }

/**
 * Prices that change with time: from a date on, or during a daily UTC window (off-peak discounts).
 * The last entry that applies wins, as in @pydantic/genai-prices.
 */
export type PriceSchedule = ReadonlyArray<{ since?: number; dailyUtcSeconds?: readonly [number, number]; prices: PricedSet }>

export type PriceSourceKind = 'catalog' | 'builtin' | 'custom-model' | 'custom-integration' | 'self-hosted'

export type PriceSource = {
  kind: PriceSourceKind
  /** Human-readable origin: `@pydantic/genai-prices 0.1.8 (openai/gpt-4o)`, `integration 'openai' override`… */
  ref: string
  /** Where the provider publishes the price, when known. */
  url?: string
}

export type Price = PricedSet & {
  id: string
  source: PriceSource
  schedule?: PriceSchedule
  /** Largest input a request can have (context window), when known: caps the reservation estimate. */
  maxInputTokens?: number
  /** Largest output the model produces: the reservation estimate when a request sets no maximum. */
  maxOutputTokens?: number
}

export const isUserPrice = (p: { source?: PriceSource } | undefined): boolean =>
  p?.source?.kind === 'custom-model' || p?.source?.kind === 'custom-integration'
