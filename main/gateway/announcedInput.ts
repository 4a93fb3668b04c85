/**
 * An Anthropic stream made by translation must say its input tokens in `message_start`, where
 * Anthropic does (LangChain's `ChatAnthropic.stream()` reads them there), before a chat upstream has
 * reported them: an estimate from the caller's body. Only for that case; every other reply pays nothing.
 */
import { estimateInputTokens } from '../dialects/estimateInputTokens.ts'
import type { Call, Route } from './types.ts'

export function announcedInput(call: Call, route: Route): { inputTokens?: number } {
  if (!call.stream || !route.translate || call.dialect !== 'anthropic') return {}
  return { inputTokens: estimateInputTokens(call.body) }
}
