/**
 * OpenAI chat completion bodies ⇄ canonical ChatResponse, with the usage and finish_reason mappings the
 * stream converters share. Only the first choice is read (the gateway never asks for `n > 1`). Pure.
 * Usage: `prompt_tokens` includes cached tokens and `completion_tokens` includes reasoning tokens, which
 * is the canonical rule, so the numbers map one to one.
 */
import type { ChatResponse, ChatUsage, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import type { ReplyOptions } from '../dialect.ts'
import { asNumber, asString, defined, isObject } from '../json.ts'
import { hasToolCall, joinText, toolCalls } from '../parts.ts'
import { assistantParts, toolCallFromCanonical } from './request.ts'
import type { OpenAIChatResponse, OpenAIChatUsage, OpenAIFinishReason } from './types.ts'

export function openAIUsageToCanonical(u: unknown): ChatUsage {
  if (!isObject(u)) return zeroUsage
  const cached = isObject(u.prompt_tokens_details) ? asNumber(u.prompt_tokens_details.cached_tokens) : undefined
  const reasoning = isObject(u.completion_tokens_details) ? asNumber(u.completion_tokens_details.reasoning_tokens) : undefined
  return {
    inputTokens: asNumber(u.prompt_tokens) ?? 0,
    outputTokens: asNumber(u.completion_tokens) ?? 0,
    cacheReadTokens: cached ?? asNumber(u.prompt_cache_hit_tokens) ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: reasoning ?? 0,
  }
}

export function openAIUsageFromCanonical(u: ChatUsage): OpenAIChatUsage {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  }
}

export function finishReasonToCanonical(reason: unknown): StopReason {
  if (reason === 'length') return 'max_tokens'
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool_use'
  if (reason === 'content_filter') return 'content_filter'
  return 'end_turn'
}

export function finishReasonFromCanonical(reason: StopReason): OpenAIFinishReason {
  if (reason === 'max_tokens') return 'length'
  if (reason === 'tool_use') return 'tool_calls'
  if (reason === 'content_filter' || reason === 'refusal') return 'content_filter'
  return 'stop'
}

function toCanonical(body: unknown): ChatResponse {
  const b = isObject(body) ? body : {}
  const choice = Array.isArray(b.choices) && isObject(b.choices[0]) ? b.choices[0] : {}
  const content = assistantParts(isObject(choice.message) ? choice.message : {})
  const r: ChatResponse = {
    id: asString(b.id) ?? '',
    model: asString(b.model) ?? '',
    content,
    // Some servers (older Ollama) say `stop` when the turn ends in tool calls.
    stopReason:
      hasToolCall(content) && (choice.finish_reason === 'stop' || !choice.finish_reason)
        ? 'tool_use'
        : finishReasonToCanonical(choice.finish_reason),
    usage: openAIUsageToCanonical(b.usage),
  }
  const created = asNumber(b.created)
  if (created !== undefined) r.created = created
  return r
}

function fromCanonical(r: ChatResponse, o: ReplyOptions = {}): OpenAIChatResponse {
  const reasoning = r.content.flatMap((p) => (p.type === 'thinking' && p.text ? [p.text] : [])).join('\n\n')
  const calls = toolCalls(r.content).map(toolCallFromCanonical)
  const message = defined<OpenAIChatResponse['choices'][number]['message']>({
    role: 'assistant',
    content: joinText(r.content) || null,
    reasoning_content: reasoning || undefined,
    tool_calls: calls.length ? calls : undefined,
    refusal: null,
  })
  return {
    id: r.id,
    object: 'chat.completion',
    created: r.created ?? Math.floor((o.createdAt ?? 0) / 1000),
    model: o.model ?? r.model,
    choices: [{ index: 0, message, finish_reason: finishReasonFromCanonical(r.stopReason), logprobs: null }],
    usage: openAIUsageFromCanonical(r.usage),
  }
}

export const openAIResponse = { toCanonical, fromCanonical }
