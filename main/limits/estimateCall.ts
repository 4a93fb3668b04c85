/**
 * What a call may cost before it runs, for reservations. Pure and O(1): no tokenizer on the hot path.
 *   - Budgets need an upper bound: a BPE token is at least one byte, so the request body's size
 *     bounds its input tokens (capped by the model's context window when known); output is the
 *     request's own maximum (`max_tokens`, `max_completion_tokens`, `max_output_tokens`, times `n`),
 *     else the model's, else the configured default.
 *   - Tokens-per-window rate limits use OpenAI's own rule instead: characters / 4 + max output.
 */
import type { Call } from '../gateway/types.ts'
import { maxCostMicros } from './cost.ts'
import type { Price } from './Price.ts'

export type Estimate = {
  inputTokens: number
  outputTokens: number
  /** Upper bound for budgets. */
  tokens: number
  costMicros: number | null
  /** Likely tokens, for rate limits. */
  rateTokens: number
}

export function requestedMaxOutput(body: Record<string, unknown>): number | undefined {
  const v = body.max_completion_tokens ?? body.max_tokens ?? body.max_output_tokens
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.ceil(v) : undefined
}

export function estimateCall(
  call: Pick<Call, 'endpoint' | 'body'>,
  bodyBytes: number,
  price: Price | undefined,
  free: boolean,
  defaultMaxOutputTokens: number,
  at: number,
): Estimate {
  // Counting tokens is free at the providers that offer it: nothing to reserve.
  if (call.endpoint === 'count_tokens') return { inputTokens: 0, outputTokens: 0, tokens: 0, costMicros: 0, rateTokens: 0 }
  const inputTokens = Math.min(bodyBytes, price?.maxInputTokens ?? Number.POSITIVE_INFINITY)
  const n = typeof call.body.n === 'number' && call.body.n > 1 ? Math.floor(call.body.n) : 1
  const outputTokens =
    call.endpoint === 'embeddings' ? 0 : n * (requestedMaxOutput(call.body) ?? price?.maxOutputTokens ?? defaultMaxOutputTokens)
  const costMicros = price ? maxCostMicros(price, inputTokens, outputTokens, at) : free ? 0 : null
  return {
    inputTokens,
    outputTokens,
    tokens: inputTokens + outputTokens,
    costMicros,
    rateTokens: Math.ceil(bodyBytes / 4) + outputTokens,
  }
}
