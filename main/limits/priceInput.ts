/** Conversions between the Control API's price shape (`PriceInput`) and the billing one (`PriceSet`). Pure. */
import type { PriceInput } from '../../preload/contract.ts'
import type { Price, PriceSet } from './Price.ts'

export function priceSetFrom(p: PriceInput): PriceSet {
  return {
    inputPrice: p.inputMicrosPerMTok,
    outputPrice: p.outputMicrosPerMTok,
    ...(p.cacheReadMicrosPerMTok !== undefined ? { cachedInputPrice: p.cacheReadMicrosPerMTok } : {}),
    ...(p.cacheWriteMicrosPerMTok !== undefined ? { cacheWritePrice: p.cacheWriteMicrosPerMTok } : {}),
    ...(p.reasoningMicrosPerMTok !== undefined ? { reasoningPrice: p.reasoningMicrosPerMTok } : {}),
  }
}

export function priceInputFrom(p: PriceSet | Price): PriceInput {
  return {
    inputMicrosPerMTok: p.inputPrice,
    outputMicrosPerMTok: p.outputPrice,
    ...(p.cachedInputPrice !== undefined ? { cacheReadMicrosPerMTok: p.cachedInputPrice } : {}),
    ...(p.cacheWritePrice !== undefined ? { cacheWriteMicrosPerMTok: p.cacheWritePrice } : {}),
    ...(p.reasoningPrice !== undefined ? { reasoningMicrosPerMTok: p.reasoningPrice } : {}),
  }
}
