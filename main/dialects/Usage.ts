/** Token usage as an upstream reported it (null: not reported); dialects read it off the wire, the gateway records it. */
export type Usage = {
  /** The whole input, cache reads and writes included (see limits/cost.ts for each dialect's mapping). */
  inputTokens: number | null
  outputTokens: number | null
  /** Cache reads, part of `inputTokens`. */
  cachedTokens: number | null
  /** Cache writes (Anthropic's cache creation), part of `inputTokens`. */
  cacheWriteTokens?: number | null
  /** Reasoning tokens, part of `outputTokens`. */
  reasoningTokens?: number | null
}
