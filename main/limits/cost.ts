/**
 * Cost of one call in integer micro-USD. Pure. Prices are micro-USD per million tokens; cached input
 * tokens are part of the input count and billed at the cached rate when the model has one
 * (OpenAI's rule). Rounded half up once per call.
 */
import type { KnownModel } from '../providers/provider.ts'
import type { Usage } from '../gateway/types.ts'

export function costMicros(usage: Usage, price: KnownModel | undefined, free: boolean): number | null {
  if (free) return 0
  if (!price || usage.inputTokens === null) return null
  const input = usage.inputTokens
  const cached = Math.min(usage.cachedTokens ?? 0, input)
  const output = usage.outputTokens ?? 0
  const inPrice = price.inputPrice ?? 0
  const cachedPrice = price.cachedInputPrice ?? inPrice
  const total = (input - cached) * inPrice + cached * cachedPrice + output * (price.outputPrice ?? 0)
  return Math.round(total / 1_000_000)
}
