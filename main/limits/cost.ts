/**
 * Cost of one call in integer micro-USD. Pure. Prices are micro-USD per million tokens.
 * Token accounting is canonical (every dialect maps its usage onto it):
 *   - `inputTokens` is the whole input, cache reads and cache writes included (OpenAI's
 *     `prompt_tokens`; for Anthropic, input + cache_read + cache_creation);
 *   - `cachedTokens` (reads) and `cacheWriteTokens` are billed at their own rates when the model has
 *     them, else at the input rate;
 *   - `reasoningTokens` are part of `outputTokens` and billed apart only when the model has a
 *     reasoning rate.
 * A long-context tier applies to the whole call once the input passes its threshold. Rounded half
 * up once per call.
 */
import type { KnownModel } from '../providers/provider.ts'
import type { Usage } from '../gateway/types.ts'
import { isUserPrice, type Price, type PricedSet, type PriceSet } from './Price.ts'

export function costMicros(usage: Usage, price: KnownModel | Price | undefined, free: boolean, at = 0): number | null {
  // Self-hosted is free unless the user set a price for it.
  if (free && !isUserPrice(price as Price | undefined)) return 0
  if (!price || usage.inputTokens === null) return null
  const set = pricesFor(price, usage.inputTokens, at)
  const input = usage.inputTokens
  const cacheRead = clamp(usage.cachedTokens ?? 0, input)
  const cacheWrite = clamp(usage.cacheWriteTokens ?? 0, input - cacheRead)
  const output = usage.outputTokens ?? 0
  const reasoning = set.reasoningPrice === undefined ? 0 : clamp(usage.reasoningTokens ?? 0, output)
  const inPrice = set.inputPrice ?? 0
  return perMillion([
    input - cacheRead - cacheWrite, inPrice,
    cacheRead, set.cachedInputPrice ?? inPrice,
    cacheWrite, set.cacheWritePrice ?? inPrice,
    output - reasoning, set.outputPrice ?? 0,
    reasoning, set.reasoningPrice ?? set.outputPrice ?? 0,
  ])
}

/**
 * An upper bound of a call's cost before it runs: every input token at the dearest input rate,
 * every output token at the dearest output rate, in the tier the input size reaches.
 */
export function maxCostMicros(price: KnownModel | Price, inputTokens: number, outputTokens: number, at = 0): number {
  const set = pricesFor(price, inputTokens, at)
  const inPrice = Math.max(set.inputPrice ?? 0, set.cachedInputPrice ?? 0, set.cacheWritePrice ?? 0)
  const outPrice = Math.max(set.outputPrice ?? 0, set.reasoningPrice ?? 0)
  return perMillion([inputTokens, inPrice, outputTokens, outPrice])
}

type AnySet = Partial<PriceSet>

/** The price set in force for a call of this size at this time. */
export function pricesFor(price: KnownModel | Price, inputTokens: number, at: number): AnySet {
  let set: AnySet & { tiers?: PricedSet['tiers'] } = price
  const schedule = 'schedule' in price ? price.schedule : undefined
  if (schedule) {
    for (let i = schedule.length - 1; i >= 0; i--) {
      const s = schedule[i]
      if (s && appliesAt(s, at)) {
        set = s.prices
        break
      }
    }
  }
  const tiers = set.tiers
  if (tiers) {
    for (const t of tiers) if (inputTokens > t.aboveInputTokens) set = t.prices
  }
  return set
}

function appliesAt(s: { since?: number; dailyUtcSeconds?: readonly [number, number] }, at: number): boolean {
  if (s.since !== undefined && at < s.since) return false
  if (s.dailyUtcSeconds) {
    const [from, to] = s.dailyUtcSeconds
    const sec = Math.floor((((at % 86_400_000) + 86_400_000) % 86_400_000) / 1000)
    return from <= to ? sec >= from && sec < to : sec >= from || sec < to
  }
  return true
}

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max))

/**
 * Σ tokens × micro-USD-per-million → micro-USD, rounded half up. `pairs` is [tokens, price, …].
 * Exact for any size: past 2^53 (a billion tokens at a high price) it finishes in BigInt.
 */
function perMillion(pairs: number[]): number {
  let total = 0
  for (let i = 0; i < pairs.length; i += 2) total += (pairs[i] as number) * (pairs[i + 1] as number)
  if (Number.isSafeInteger(total)) {
    const shifted = total + 500_000
    return (shifted - (shifted % 1_000_000)) / 1_000_000
  }
  let big = 500_000n
  for (let i = 0; i < pairs.length; i += 2) big += BigInt(pairs[i] as number) * BigInt(pairs[i + 1] as number)
  return Number(big / 1_000_000n)
}
