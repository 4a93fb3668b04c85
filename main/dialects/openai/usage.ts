/**
 * Reads token usage from OpenAI-shaped bodies and stream chunks (chat, completions, embeddings).
 * `prompt_tokens_details.cached_tokens` is part of `prompt_tokens` (OpenAI's billing rule).
 */
import type { Usage } from '../Usage.ts'

type WireUsage = {
  prompt_tokens?: number
  completion_tokens?: number
  prompt_tokens_details?: { cached_tokens?: number } | null
}

export function usageFromOpenAI(u: unknown): Usage | null {
  if (!u || typeof u !== 'object') return null
  const w = u as WireUsage
  if (typeof w.prompt_tokens !== 'number' && typeof w.completion_tokens !== 'number') return null
  return {
    inputTokens: typeof w.prompt_tokens === 'number' ? w.prompt_tokens : null,
    outputTokens: typeof w.completion_tokens === 'number' ? w.completion_tokens : 0,
    cachedTokens: typeof w.prompt_tokens_details?.cached_tokens === 'number' ? w.prompt_tokens_details.cached_tokens : 0,
  }
}

export const noUsage: Usage = { inputTokens: null, outputTokens: null, cachedTokens: null }
