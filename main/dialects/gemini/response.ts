/**
 * GenerateContentResponse bodies ⇄ canonical ChatResponse, with the usage and finishReason mappings the
 * stream converters share. Only the first candidate is read (the gateway never asks for more). Pure.
 * Usage (canonical.ts's rule): `promptTokenCount` already includes `cachedContentTokenCount`, so it is
 * the input as it stands, plus `toolUsePromptTokenCount`; `candidatesTokenCount` excludes
 * `thoughtsTokenCount`, so output is their sum and the thoughts are its reasoning part.
 * https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */
import type { ChatResponse, ChatUsage, OutputPart, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import type { ReplyOptions } from '../dialect.ts'
import { asArray, asNumber, asString, defined, isObject } from '../json.ts'
import type { JsonObject } from '../json.ts'
import { fallbackToolCallId, geminiPartToCanonical, splitToolCallId } from './request.ts'
import type { GeminiFinishReason, GeminiGenerateContentResponse, GeminiPart, GeminiUsageMetadata } from './types.ts'

export function geminiUsageToCanonical(u: unknown): ChatUsage {
  if (!isObject(u)) return zeroUsage
  const prompt = asNumber(u.promptTokenCount) ?? 0
  const toolPrompt = asNumber(u.toolUsePromptTokenCount) ?? 0
  const candidates = asNumber(u.candidatesTokenCount) ?? 0
  const thoughts = asNumber(u.thoughtsTokenCount) ?? 0
  return {
    inputTokens: prompt + toolPrompt,
    outputTokens: candidates + thoughts,
    cacheReadTokens: asNumber(u.cachedContentTokenCount) ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  }
}

export function geminiUsageFromCanonical(u: ChatUsage): GeminiUsageMetadata {
  const candidates = Math.max(0, u.outputTokens - u.reasoningTokens)
  return defined<GeminiUsageMetadata>({
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: u.inputTokens + u.outputTokens,
    cachedContentTokenCount: u.cacheReadTokens || undefined,
    thoughtsTokenCount: u.reasoningTokens || undefined,
  })
}

const filtered = new Set(['SAFETY', 'RECITATION', 'LANGUAGE', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'])

/** Gemini says STOP after function calls too; the calls make it `tool_use`. */
export function finishReasonToCanonical(reason: unknown, sawToolCall: boolean): StopReason {
  if (reason === 'MAX_TOKENS') return 'max_tokens'
  if (typeof reason === 'string' && filtered.has(reason)) return 'content_filter'
  if (reason === 'MALFORMED_FUNCTION_CALL' || reason === 'UNEXPECTED_TOOL_CALL' || reason === 'TOO_MANY_TOOL_CALLS') return 'error'
  return sawToolCall ? 'tool_use' : 'end_turn'
}

export function finishReasonFromCanonical(reason: StopReason): GeminiFinishReason {
  switch (reason) {
    case 'max_tokens':
      return 'MAX_TOKENS'
    case 'content_filter':
    case 'refusal':
      return 'SAFETY'
    case 'error':
      return 'OTHER'
    default:
      return 'STOP'
  }
}

/** Vertex's `createTime` (RFC 3339) as epoch seconds. */
export function createdOf(b: JsonObject): number | undefined {
  const t = asString(b.createTime)
  const ms = t ? Date.parse(t) : NaN
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined
}

function toCanonical(body: unknown): ChatResponse {
  const b = isObject(body) ? body : {}
  const responseId = asString(b.responseId) ?? ''
  const candidate = asArray(b.candidates).find(isObject)
  const parts = isObject(candidate?.content) ? asArray(candidate.content.parts) : []
  const content: OutputPart[] = []
  let calls = 0
  for (const p of parts) {
    if (!isObject(p)) continue
    const part = geminiPartToCanonical(p, fallbackToolCallId(responseId, calls))
    if (part.type === 'tool_call') calls++
    if (part.type !== 'image' && part.type !== 'tool_result') content.push(part)
  }
  const blocked = !candidate && isObject(b.promptFeedback) && b.promptFeedback.blockReason !== undefined
  return defined<ChatResponse>({
    id: responseId,
    model: asString(b.modelVersion) ?? '',
    created: createdOf(b),
    content,
    stopReason: blocked ? 'content_filter' : finishReasonToCanonical(candidate?.finishReason, calls > 0),
    usage: geminiUsageToCanonical(b.usageMetadata),
  })
}

/** A canonical output part as Gemini parts (thinking as a thought summary). */
export function outputParts(p: OutputPart): GeminiPart[] {
  switch (p.type) {
    case 'text':
      return p.text ? [{ text: p.text }] : []
    case 'thinking':
      return p.text ? [{ text: p.text, thought: true }] : []
    case 'tool_call': {
      const { signature } = splitToolCallId(p.id)
      const part: GeminiPart = { functionCall: { name: p.name, args: parseObject(p.arguments) } }
      return [signature ? { ...part, thoughtSignature: signature } : part]
    }
    case 'raw':
      return p.dialect === 'gemini' ? [p.value as GeminiPart] : []
  }
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json || '{}')
    return isObject(v) ? v : {}
  } catch {
    return {}
  }
}

function fromCanonical(r: ChatResponse, o: ReplyOptions = {}): GeminiGenerateContentResponse {
  return {
    candidates: [{ content: { role: 'model', parts: r.content.flatMap(outputParts) }, finishReason: finishReasonFromCanonical(r.stopReason), index: 0 }],
    usageMetadata: geminiUsageFromCanonical(r.usage),
    modelVersion: o.model ?? r.model,
    responseId: r.id,
    ...(r.created !== undefined ? { createTime: new Date(r.created * 1000).toISOString() } : {}),
  }
}

export const geminiResponse = { toCanonical, fromCanonical }
