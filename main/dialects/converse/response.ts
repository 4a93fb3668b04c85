/**
 * Converse response bodies ⇄ canonical ChatResponse, with the usage and stopReason mappings the stream
 * converters share. Pure.
 * Usage (canonical.ts's rule): Converse's `inputTokens` excludes `cacheReadInputTokens` and
 * `cacheWriteInputTokens` (its `totalTokens` adds all four), so they are added in and subtracted out, as
 * for Anthropic. Converse reports no reasoning tokens apart; they are inside `outputTokens`.
 * A Converse response has no id (the request id is only in a header) and no model name (the caller's is shown).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax,
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html
 */
import type { ChatResponse, ChatUsage, OutputPart, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import type { ReplyOptions } from '../dialect.ts'
import { asArray, asNumber, asString, defined, isObject } from '../json.ts'
import { flatToolName, parseArguments } from '../parts.ts'
import { blockToPart, converseToolId } from './request.ts'
import type { ConverseContentBlock, ConverseResponse, ConverseStopReason, ConverseUsage } from './types.ts'

export function converseUsageToCanonical(u: unknown): ChatUsage {
  if (!isObject(u)) return zeroUsage
  const input = asNumber(u.inputTokens) ?? 0
  const cacheRead = asNumber(u.cacheReadInputTokens) ?? 0
  const cacheWrite = asNumber(u.cacheWriteInputTokens) ?? 0
  return { inputTokens: input + cacheRead + cacheWrite, outputTokens: asNumber(u.outputTokens) ?? 0, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite, reasoningTokens: 0 }
}

export function converseUsageFromCanonical(u: ChatUsage): ConverseUsage {
  const usage: ConverseUsage = {
    inputTokens: Math.max(0, u.inputTokens - u.cacheReadTokens - u.cacheWriteTokens),
    outputTokens: u.outputTokens,
    totalTokens: u.inputTokens + u.outputTokens,
  }
  if (u.cacheReadTokens) usage.cacheReadInputTokens = u.cacheReadTokens
  if (u.cacheWriteTokens) usage.cacheWriteInputTokens = u.cacheWriteTokens
  return usage
}

export function stopReasonToCanonical(reason: unknown): StopReason {
  switch (reason) {
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
      return reason
    case 'model_context_window_exceeded':
      return 'max_tokens'
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter'
    case 'malformed_model_output':
    case 'malformed_tool_use':
      return 'error'
    default:
      return 'end_turn'
  }
}

export function stopReasonFromCanonical(reason: StopReason): ConverseStopReason {
  switch (reason) {
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
      return reason
    case 'content_filter':
    case 'refusal':
      return 'content_filtered'
    case 'error':
      return 'malformed_model_output'
    default:
      return 'end_turn'
  }
}

function toCanonical(body: unknown): ChatResponse {
  const b = isObject(body) ? body : {}
  const message = isObject(b.output) && isObject(b.output.message) ? b.output.message : {}
  const content: OutputPart[] = []
  for (const block of asArray(message.content)) {
    if (!isObject(block)) continue
    const part = blockToPart(block)
    if (part && part.type !== 'image' && part.type !== 'tool_result') content.push(part)
  }
  return defined<ChatResponse>({
    id: asString(b.id) ?? '',
    model: asString(b.modelId) ?? '',
    content,
    stopReason: stopReasonToCanonical(b.stopReason),
    usage: converseUsageToCanonical(b.usage),
  })
}

/** A canonical output part as a Converse block (thinking as reasoning text, its signature when it has one). */
export function outputBlock(p: OutputPart): ConverseContentBlock | undefined {
  switch (p.type) {
    case 'text':
      return { text: p.text }
    case 'thinking':
      if (p.redactedData) return { reasoningContent: { redactedContent: p.redactedData } }
      return { reasoningContent: { reasoningText: p.signature ? { text: p.text, signature: p.signature } : { text: p.text } } }
    case 'tool_call':
      return { toolUse: { toolUseId: converseToolId(p.id), name: flatToolName(p), input: parseArguments(p.arguments) } }
    case 'raw':
      return p.dialect === 'converse' ? (p.value as ConverseContentBlock) : undefined
  }
}

function fromCanonical(r: ChatResponse, _o: ReplyOptions = {}): ConverseResponse {
  const content: ConverseContentBlock[] = []
  for (const p of r.content) {
    const block = outputBlock(p)
    if (block) content.push(block)
  }
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: stopReasonFromCanonical(r.stopReason),
    usage: converseUsageFromCanonical(r.usage),
  }
}

export const converseResponse = { toCanonical, fromCanonical }
