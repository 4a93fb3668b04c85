/**
 * Anthropic message bodies ⇄ canonical ChatResponse, with the usage and stop_reason mappings the stream
 * converters share. Pure.
 * Usage: Anthropic's `input_tokens` excludes `cache_read_input_tokens` and `cache_creation_input_tokens`;
 * canonical `inputTokens` includes them (see canonical.ts), so they are added in and subtracted out.
 */
import type { ChatResponse, ChatUsage, OutputPart, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import type { ReplyOptions } from '../dialect.ts'
import { asArray, asNumber, asString, isObject } from '../json.ts'
import { blockToPart, partToBlock } from './request.ts'
import type {
  AnthropicContentBlock,
  AnthropicMessagesResponse,
  AnthropicOtherBlock,
  AnthropicStopReason,
  AnthropicUsage,
} from './types.ts'

/** Adds an Anthropic usage object (possibly partial, as in `message_delta`) onto `base`. */
export function anthropicUsageToCanonical(u: unknown, base: ChatUsage = zeroUsage): ChatUsage {
  if (!isObject(u)) return base
  const cacheRead = asNumber(u.cache_read_input_tokens)
  const cacheWrite = asNumber(u.cache_creation_input_tokens)
  const input = asNumber(u.input_tokens)
  const next = { ...base }
  if (cacheRead !== undefined) next.cacheReadTokens = cacheRead
  if (cacheWrite !== undefined) next.cacheWriteTokens = cacheWrite
  if (input !== undefined || cacheRead !== undefined || cacheWrite !== undefined) {
    const uncached = input ?? base.inputTokens - base.cacheReadTokens - base.cacheWriteTokens
    next.inputTokens = uncached + next.cacheReadTokens + next.cacheWriteTokens
  }
  const output = asNumber(u.output_tokens)
  if (output !== undefined) next.outputTokens = output
  const details = u.output_tokens_details
  const thinking = isObject(details) ? asNumber(details.thinking_tokens) : undefined
  if (thinking !== undefined) next.reasoningTokens = thinking
  return next
}

export function anthropicUsageFromCanonical(u: ChatUsage): AnthropicUsage {
  const usage: AnthropicUsage = {
    input_tokens: Math.max(0, u.inputTokens - u.cacheReadTokens - u.cacheWriteTokens),
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cacheReadTokens,
  }
  if (u.reasoningTokens) usage.output_tokens_details = { thinking_tokens: u.reasoningTokens }
  return usage
}

export function stopReasonToCanonical(reason: unknown): StopReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens'
    case 'stop_sequence':
    case 'tool_use':
    case 'refusal':
      return reason
    case 'pause_turn':
      return 'pause'
    default:
      return 'end_turn'
  }
}

export function stopReasonFromCanonical(reason: StopReason): AnthropicStopReason {
  switch (reason) {
    case 'pause':
      return 'pause_turn'
    case 'content_filter':
      return 'refusal'
    case 'error':
      return 'end_turn'
    default:
      return reason
  }
}

function toCanonical(body: unknown): ChatResponse {
  const b = isObject(body) ? body : {}
  const content: OutputPart[] = []
  for (const block of asArray(b.content)) {
    if (!isObject(block)) continue
    const part = blockToPart(block)
    if (part.type !== 'image' && part.type !== 'tool_result') content.push(part)
  }
  const r: ChatResponse = {
    id: asString(b.id) ?? '',
    model: asString(b.model) ?? '',
    content,
    stopReason: stopReasonToCanonical(b.stop_reason),
    usage: anthropicUsageToCanonical(b.usage),
  }
  if (typeof b.stop_sequence === 'string') r.stopSequence = b.stop_sequence
  return r
}

/** Thinking from other dialects has no signature; Anthropic clients still get it, with an empty one. */
export function outputBlock(p: OutputPart): AnthropicContentBlock | AnthropicOtherBlock | undefined {
  if (p.type === 'thinking' && !p.redactedData && !p.signature) return { type: 'thinking', thinking: p.text, signature: '' }
  return partToBlock(p)
}

function fromCanonical(r: ChatResponse, o: ReplyOptions = {}): AnthropicMessagesResponse {
  const content: (AnthropicContentBlock | AnthropicOtherBlock)[] = []
  for (const p of r.content) {
    const block = outputBlock(p)
    if (block) content.push(block)
  }
  return {
    id: r.id,
    type: 'message',
    role: 'assistant',
    model: o.model ?? r.model,
    content,
    stop_reason: stopReasonFromCanonical(r.stopReason),
    stop_sequence: r.stopSequence ?? null,
    usage: anthropicUsageFromCanonical(r.usage),
  }
}

export const anthropicResponse = { toCanonical, fromCanonical }
